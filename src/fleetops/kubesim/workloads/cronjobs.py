"""The CronJob controller: create a Job at each scheduled time (the latest missed one on start),
honour `suspend`, `concurrencyPolicy`, `startingDeadlineSeconds` and the history limits, and keep
`status.active`, `lastScheduleTime` and `lastSuccessfulTime`."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import conditions, ownership
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.cron import CronError, Schedule
from fleetops.kubesim.workloads.jobs import finished
from fleetops.kubesim.workloads.resources import CRON_JOBS, JOBS

Manifest = dict[str, Any]

SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def job_name(cron_job: Manifest, scheduled: datetime) -> str:
    """`<cronjob>-<minutes since the epoch>`, as the controller names its Jobs."""
    return f"{cron_job['metadata']['name']}-{int(scheduled.timestamp() // 60)}"


def _reference(job: Manifest) -> Manifest:
    metadata = job["metadata"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": metadata["name"],
        "namespace": metadata["namespace"],
        "uid": metadata["uid"],
        "resourceVersion": metadata.get("resourceVersion", ""),
    }


class CronJobController(WorkloadController):
    identity = "system:serviceaccount:kube-system:cronjob-controller"
    manager = "kube-controller-manager"
    component = "cronjob-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == CRON_JOBS:
            return event.type != "DELETED"
        return event.resource == JOBS and ownership.controller_kind(event.object) == "CronJob"

    def resync(self) -> None:
        for cron_job in self.state.store.list(CRON_JOBS, None):
            self.reconcile(cron_job)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == CRON_JOBS:
            metadata = event.object["metadata"]
            current = self.get(CRON_JOBS, str(metadata.get("namespace")), str(metadata["name"]))
        else:
            current = self.controller_of(event.object, CRON_JOBS)
        if current is not None:
            self.reconcile(current)

    def reconcile(self, cron_job: Manifest) -> None:
        if cron_job["metadata"].get("deletionTimestamp"):
            return
        spec = cron_job.get("spec") or {}
        try:
            schedule = Schedule.parse(str(spec.get("schedule") or ""))
        except CronError:
            return
        moment = self.settings.now()
        jobs = self.owned(JOBS, cron_job)
        status = copy.deepcopy(cron_job.get("status") or {})
        running = [job for job in jobs if not finished(job)]
        last = (
            clock.parse(str(status.get("lastScheduleTime") or ""))
            or clock.parse(str(cron_job["metadata"].get("creationTimestamp") or ""))
            or moment
        )
        due = schedule.last_before(last, moment)
        deadline = spec.get("startingDeadlineSeconds")
        if due is not None and deadline is not None and (moment - due).total_seconds() > int(deadline):
            due = None
        if due is not None and not spec.get("suspend"):
            policy = spec.get("concurrencyPolicy", "Allow")
            if policy == "Forbid" and running:
                due = None
            else:
                if policy == "Replace":
                    for job in running:
                        self.delete(self.info(JOBS), job, "Background")
                    running = []
                created = self._create_job(cron_job, due)
                if created is not None:
                    running.append(created)
                status["lastScheduleTime"] = clock.rfc3339(due)
        successes = [job for job in jobs if conditions.is_true(job, "Complete")]
        if successes:
            latest = max(str((job.get("status") or {}).get("completionTime") or "") for job in successes)
            if latest:
                status["lastSuccessfulTime"] = latest
        active = [
            _reference(job)
            for job in running
            if self.get(JOBS, job["metadata"]["namespace"], job["metadata"]["name"]) is not None
        ]
        if active:
            status["active"] = active
        else:
            status.pop("active", None)
        self.write_status(CRON_JOBS, cron_job, status)
        self._trim(cron_job, jobs)
        upcoming = schedule.next_after(moment)
        metadata = cron_job["metadata"]
        namespace, name = str(metadata["namespace"]), str(metadata["name"])
        self.after(
            (upcoming - moment).total_seconds() + 0.05,
            ("schedule", metadata["uid"]),
            lambda: self._recheck(namespace, name),
        )

    def _create_job(self, cron_job: Manifest, scheduled: datetime) -> Manifest | None:
        namespace = str(cron_job["metadata"]["namespace"])
        name = job_name(cron_job, scheduled)
        if self.get(JOBS, namespace, name) is not None:
            return None
        template = copy.deepcopy((cron_job.get("spec") or {}).get("jobTemplate") or {})
        metadata = template.get("metadata") or {}
        annotations = {**(metadata.get("annotations") or {}), SCHEDULED_ANNOTATION: clock.rfc3339(scheduled)}
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": name,
                "labels": dict(metadata.get("labels") or {}),
                "annotations": annotations,
                "ownerReferences": [ownership.reference_to(cron_job, api_version="batch/v1", kind="CronJob")],
            },
            "spec": template.get("spec") or {},
        }
        created = self.create(JOBS, namespace, job)
        self.event(cron_job, "Normal", "SuccessfulCreate", f"Created job {name}")
        return created

    def _trim(self, cron_job: Manifest, jobs: list[Manifest]) -> None:
        spec = cron_job.get("spec") or {}
        for kind, default, key in (
            ("Complete", 3, "successfulJobsHistoryLimit"),
            ("Failed", 1, "failedJobsHistoryLimit"),
        ):
            limit = default if spec.get(key) is None else int(spec[key])
            done = sorted(
                (job for job in jobs if conditions.is_true(job, kind)),
                key=lambda job: str(job["metadata"].get("creationTimestamp")),
            )
            for job in done[: max(0, len(done) - limit)]:
                self.delete(self.info(JOBS), job, "Background")

    def _recheck(self, namespace: str, name: str) -> None:
        found = self.get(CRON_JOBS, namespace, name)
        if found is not None:
            self.reconcile(found)
