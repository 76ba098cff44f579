"""The Job controller: run Pods `parallelism` at a time until `completions` succeed, or fail after
`backoffLimit` failures; conditions SuccessCriteriaMet/Complete or FailureTarget/Failed as Kubernetes
1.31+ writes them; `ttlSecondsAfterFinished` removes finished Jobs; Indexed Jobs run each index once."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import conditions, ownership, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import JOBS, PODS

Manifest = dict[str, Any]


INDEX_KEY = "batch.kubernetes.io/job-completion-index"


def index_of(pod: Manifest) -> int | None:
    value = (pod["metadata"].get("annotations") or {}).get(INDEX_KEY)
    return int(value) if value is not None and str(value).isdigit() else None


def compress(indexes: list[int]) -> str:
    """`0-2,4`: sorted indexes as the `completedIndexes` interval list."""
    ranges: list[list[int]] = []
    for index in indexes:
        if ranges and index == ranges[-1][1] + 1:
            ranges[-1][1] = index
        else:
            ranges.append([index, index])
    return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in ranges)


def finished(job: Manifest) -> bool:
    return conditions.is_true(job, "Complete") or conditions.is_true(job, "Failed")


def _number(spec: Manifest, key: str, default: int) -> int:
    value = spec.get(key)
    return default if value is None else int(value)


class JobController(WorkloadController):
    identity = "system:serviceaccount:kube-system:job-controller"
    manager = "kube-controller-manager"
    component = "job-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == JOBS:
            return event.type != "DELETED"
        return event.resource == PODS and ownership.controller_kind(event.object) == "Job"

    def resync(self) -> None:
        for job in self.state.store.list(JOBS, None):
            self.reconcile(job)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == JOBS:
            metadata = event.object["metadata"]
            current = self.get(JOBS, str(metadata.get("namespace")), str(metadata["name"]))
        else:
            current = self.controller_of(event.object, JOBS)
        if current is not None:
            self.reconcile(current)

    def reconcile(self, job: Manifest) -> None:
        if job["metadata"].get("deletionTimestamp"):
            return
        if finished(job):
            self._expire(job)
            return
        spec = job.get("spec") or {}
        owned = self.owned(PODS, job)
        succeeded = sum(1 for pod in owned if pods.phase(pod) == "Succeeded")
        failed = sum(1 for pod in owned if pods.phase(pod) == "Failed")
        active = [pod for pod in owned if pods.active(pod)]
        indexed = spec.get("completionMode") == "Indexed"
        done_indexes = {index_of(pod) for pod in owned if pods.phase(pod) == "Succeeded"} - {None}
        if indexed:
            succeeded = len(done_indexes)
        completions = spec.get("completions")
        parallelism = _number(spec, "parallelism", 1)
        now = clock.rfc3339()
        status = dict(job.get("status") or {})
        status.setdefault("startTime", now)
        found = list(status.get("conditions") or [])
        done = succeeded >= int(completions) if completions is not None else succeeded > 0 and not active
        if failed > _number(spec, "backoffLimit", 6):
            for pod in active:
                self.remove(PODS, pod)
            active = []
            message = "Job has reached the specified backoff limit"
            found = conditions.put(
                found, "FailureTarget", "True", "BackoffLimitExceeded", message, now=now, probe_time=True
            )
            found = conditions.put(
                found, "Failed", "True", "BackoffLimitExceeded", message, now=now, probe_time=True
            )
        elif done:
            for pod in active:
                self.remove(PODS, pod)
            active = []
            message = "Reached expected number of succeeded pods"
            found = conditions.put(
                found, "SuccessCriteriaMet", "True", "CompletionsReached", message, now=now, probe_time=True
            )
            found = conditions.put(
                found, "Complete", "True", "CompletionsReached", message, now=now, probe_time=True
            )
            status["completionTime"] = now
        elif not spec.get("suspend"):
            remaining = (int(completions) - succeeded) if completions is not None else parallelism
            free = max(0, min(parallelism, remaining) - len(active))
            if indexed and completions is not None:
                running = {index_of(pod) for pod in active}
                wanted = [i for i in range(int(completions)) if i not in done_indexes and i not in running]
                active.extend(self._create_pod(job, index) for index in wanted[:free])
            else:
                active.extend(self._create_pod(job) for _ in range(free))
        status.update(
            active=len(active),
            succeeded=succeeded,
            failed=failed,
            ready=sum(1 for pod in active if pods.ready(pod)),
            terminating=0,
            uncountedTerminatedPods={},
        )
        if found:
            status["conditions"] = found
        if indexed and done_indexes:
            status["completedIndexes"] = compress(sorted(i for i in done_indexes if i is not None))
        status = {
            k: v for k, v in status.items() if v or k in ("ready", "terminating", "uncountedTerminatedPods")
        }
        stored = self.write_status(JOBS, job, status)
        if finished(stored) and not finished(job):
            if conditions.is_true(stored, "Failed"):
                self.event(
                    stored, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit"
                )
            else:
                self.event(stored, "Normal", "Completed", "Job completed")
        if finished(stored):
            self._expire(stored)

    def _create_pod(self, job: Manifest, index: int | None = None) -> Manifest:
        spec = job.get("spec") or {}
        metadata = job["metadata"]
        owner = ownership.reference_to(job, api_version="batch/v1", kind="Job")
        labels = {
            "batch.kubernetes.io/controller-uid": str(metadata["uid"]),
            "controller-uid": str(metadata["uid"]),
            "batch.kubernetes.io/job-name": str(metadata["name"]),
            "job-name": str(metadata["name"]),
        }
        if index is not None:
            labels[INDEX_KEY] = str(index)
        pod = pods.from_template(
            spec.get("template") or {},
            owner_ref=owner,
            generate_name=f"{metadata['name']}-" if index is None else f"{metadata['name']}-{index}-",
            extra_labels=labels,
        )
        if index is not None:
            pod["metadata"].setdefault("annotations", {})[INDEX_KEY] = str(index)
            for container in pod["spec"].get("containers") or []:
                container.setdefault("env", []).append(
                    {
                        "name": "JOB_COMPLETION_INDEX",
                        "valueFrom": {
                            "fieldRef": {
                                "apiVersion": "v1",
                                "fieldPath": f"metadata.annotations['{INDEX_KEY}']",
                            }
                        },
                    }
                )
        created = self.create(PODS, str(metadata["namespace"]), pod)
        self.event(job, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}")
        return created

    def _expire(self, job: Manifest) -> None:
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None:
            return
        finished_at = clock.parse(str((job.get("status") or {}).get("completionTime") or "")) or clock.now()
        for condition in (job.get("status") or {}).get("conditions") or []:
            if condition.get("type") == "Failed":
                finished_at = clock.parse(str(condition.get("lastTransitionTime") or "")) or finished_at
        wait = (finished_at - clock.now()).total_seconds() + int(ttl)
        namespace, name, uid = (
            str(job["metadata"]["namespace"]),
            str(job["metadata"]["name"]),
            job["metadata"]["uid"],
        )

        def expire() -> None:
            current = self.get(JOBS, namespace, name)
            if current is not None and current["metadata"].get("uid") == uid:
                self.remove(JOBS, current)

        self.after(wait, ("ttl", uid), expire)
