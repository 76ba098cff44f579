"""The Deployment controller: ReplicaSets per pod template, rolling and Recreate updates, revisions,
history clean-up and status (see `rollout` for the arithmetic and `deployment_status` for status).

One difference from kube-controller-manager, on purpose: a step that scales a ReplicaSet waits
until every ReplicaSet of the Deployment has caught up (observed its spec and has that many Pods),
so the Pods that exist never exceed `replicas + maxSurge`, even for an instant.
"""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import deployment_status, ownership, pods, rollout
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.hashing import template_hash
from fleetops.kubesim.workloads.resources import DEPLOYMENTS, PODS, REPLICA_SETS

Manifest = dict[str, Any]

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
_NOT_COPIED = frozenset(
    {
        REVISION,
        DESIRED_REPLICAS,
        MAX_REPLICAS,
        "deployment.kubernetes.io/revision-history",
        "kubectl.kubernetes.io/last-applied-configuration",
        "deprecated.deployment.rollback.to",
    }
)


def revision_of(obj: Manifest) -> int:
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION) or 0)
    except ValueError:
        return 0


def _without_hash(template: Manifest) -> Manifest:
    found = copy.deepcopy(template)
    labels = (found.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return found


def settled(rs: Manifest) -> bool:
    """The ReplicaSet controller has observed the spec and has exactly that many Pods."""
    status = rs.get("status") or {}
    return int(status.get("observedGeneration") or 0) >= int(rs["metadata"].get("generation") or 1) and int(
        status.get("replicas") or 0
    ) == int((rs.get("spec") or {}).get("replicas") or 0)


def counts(rs: Manifest) -> rollout.ReplicaSetCounts:
    replicas = int((rs.get("spec") or {}).get("replicas") or 0)
    available = int((rs.get("status") or {}).get("availableReplicas") or 0)
    return rollout.ReplicaSetCounts(
        str(rs["metadata"]["name"]),
        replicas,
        min(available, replicas),
        str(rs["metadata"].get("creationTimestamp") or ""),
    )


class DeploymentController(WorkloadController):
    identity = "system:serviceaccount:kube-system:deployment-controller"
    manager = "kube-controller-manager"
    component = "deployment-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == DEPLOYMENTS:
            return event.type != "DELETED"
        if event.resource == PODS:
            return event.type == "DELETED" and ownership.controller_kind(event.object) == "ReplicaSet"
        return event.resource == REPLICA_SETS and ownership.controller_kind(event.object) == "Deployment"

    def resync(self) -> None:
        for deployment in self.state.store.list(DEPLOYMENTS, None):
            self.reconcile(deployment)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == DEPLOYMENTS:
            metadata = event.object["metadata"]
            current = self.get(DEPLOYMENTS, str(metadata.get("namespace")), str(metadata["name"]))
        elif event.resource == PODS:
            replica_set = self.controller_of(event.object, REPLICA_SETS)
            current = self.controller_of(replica_set, DEPLOYMENTS) if replica_set is not None else None
        else:
            current = self.controller_of(event.object, DEPLOYMENTS)
        if current is not None:
            self.reconcile(current)

    # -- the reconcile ---------------------------------------------------------------------------
    def reconcile(self, deployment: Manifest) -> None:
        if deployment["metadata"].get("deletionTimestamp"):
            return
        self.adopt(REPLICA_SETS, deployment, api_version="apps/v1", kind="Deployment")
        sets = sorted(
            self.owned(REPLICA_SETS, deployment), key=lambda rs: str(rs["metadata"].get("creationTimestamp"))
        )
        template = _without_hash((deployment.get("spec") or {}).get("template") or {})
        new_rs = next(
            (rs for rs in sets if _without_hash((rs.get("spec") or {}).get("template") or {}) == template),
            None,
        )
        olds = [rs for rs in sets if rs is not new_rs]
        paused = bool((deployment.get("spec") or {}).get("paused"))
        created = False
        if all(settled(rs) for rs in sets):
            if paused:
                if new_rs is not None and not any(
                    int((rs.get("spec") or {}).get("replicas") or 0) for rs in olds
                ):
                    self._scale(deployment, new_rs, deployment_status.spec_replicas(deployment))
            elif deployment_status.rolling(deployment):
                new_rs, created = self._roll(deployment, new_rs, olds)
            else:
                new_rs, created = self._recreate(deployment, new_rs, olds)
            if new_rs is not None and not paused:
                new_rs = self._sync_revision(deployment, new_rs, olds)
        self._post_status(deployment, new_rs, created=created, paused=paused)

    def _roll(
        self, deployment: Manifest, new_rs: Manifest | None, olds: list[Manifest]
    ) -> tuple[Manifest | None, bool]:
        replicas = deployment_status.spec_replicas(deployment)
        surge, unavailable = deployment_status.surge_and_unavailable(deployment)
        all_counts = [counts(rs) for rs in olds] + ([counts(new_rs)] if new_rs is not None else [])
        wanted = rollout.scale_up(replicas, surge, counts(new_rs) if new_rs is not None else None, all_counts)
        if new_rs is None:
            return self._create_new(deployment, olds, wanted), True
        if wanted != counts(new_rs).replicas:
            return self._scale(deployment, new_rs, wanted), False
        changes = rollout.scale_down(replicas, unavailable, counts(new_rs), [counts(rs) for rs in olds])
        for rs in olds:
            if rs["metadata"]["name"] in changes:
                self._scale(deployment, rs, changes[rs["metadata"]["name"]])
        if not changes and deployment_status.complete(deployment, deployment.get("status") or {}):
            self._clean_up(deployment, olds)
        return new_rs, False

    def _recreate(
        self, deployment: Manifest, new_rs: Manifest | None, olds: list[Manifest]
    ) -> tuple[Manifest | None, bool]:
        scaled = False
        for rs in olds:
            if int((rs.get("spec") or {}).get("replicas") or 0):
                self._scale(deployment, rs, 0)
                scaled = True
        if scaled or any(
            pods.phase(pod) not in ("Succeeded", "Failed") for rs in olds for pod in self.owned(PODS, rs)
        ):
            return new_rs, False  # old Pods still run (terminating ones too): wait until they are gone
        replicas = deployment_status.spec_replicas(deployment)
        if new_rs is None:
            return self._create_new(deployment, olds, replicas), True
        new_rs = self._scale(deployment, new_rs, replicas)
        if deployment_status.complete(deployment, deployment.get("status") or {}):
            self._clean_up(deployment, olds)
        return new_rs, False

    # -- ReplicaSets -----------------------------------------------------------------------------
    def _annotations(self, deployment: Manifest, revision: int) -> dict[str, str]:
        replicas = deployment_status.spec_replicas(deployment)
        surge, _ = deployment_status.surge_and_unavailable(deployment)
        copied = {
            key: value
            for key, value in (deployment["metadata"].get("annotations") or {}).items()
            if key not in _NOT_COPIED
        }
        return {
            **copied,
            DESIRED_REPLICAS: str(replicas),
            MAX_REPLICAS: str(replicas + surge),
            REVISION: str(revision),
        }

    def _create_new(self, deployment: Manifest, olds: list[Manifest], replicas: int) -> Manifest:
        spec = deployment.get("spec") or {}
        namespace = str(deployment["metadata"]["namespace"])
        collisions = int((deployment.get("status") or {}).get("collisionCount") or 0)
        template = copy.deepcopy(spec.get("template") or {})
        while True:
            hashed = template_hash(template, collisions)
            name = f"{deployment['metadata']['name']}-{hashed}"
            if self.get(REPLICA_SETS, namespace, name) is None:
                break
            collisions += 1
        if collisions:
            status = {**(deployment.get("status") or {}), "collisionCount": collisions}
            deployment = self.write_status(DEPLOYMENTS, deployment, status)
        template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = hashed
        selector = copy.deepcopy(
            spec.get("selector") or {"matchLabels": dict(template["metadata"]["labels"])}
        )
        selector.setdefault("matchLabels", {})[HASH_LABEL] = hashed
        revision = max((revision_of(rs) for rs in olds), default=0) + 1
        rs_spec: Manifest = {"replicas": replicas, "selector": selector, "template": template}
        if spec.get("minReadySeconds"):
            rs_spec["minReadySeconds"] = spec["minReadySeconds"]
        replica_set = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "labels": dict(template["metadata"]["labels"]),
                "annotations": self._annotations(deployment, revision),
                "ownerReferences": [
                    ownership.reference_to(deployment, api_version="apps/v1", kind="Deployment")
                ],
            },
            "spec": rs_spec,
        }
        created = self.create(REPLICA_SETS, namespace, replica_set)
        self._scaled_event(deployment, name, 0, replicas)
        return created

    def _scaled_event(self, deployment: Manifest, name: str, before: int, after: int) -> None:
        if before != after:
            direction = "up" if after > before else "down"
            self.event(
                deployment,
                "Normal",
                "ScalingReplicaSet",
                f"Scaled {direction} replica set {name} from {before} to {after}",
            )

    def _scale(self, deployment: Manifest, rs: Manifest, replicas: int) -> Manifest:
        replicas_now = deployment_status.spec_replicas(deployment)
        surge, _ = deployment_status.surge_and_unavailable(deployment)
        annotations = {DESIRED_REPLICAS: str(replicas_now), MAX_REPLICAS: str(replicas_now + surge)}
        self._scaled_event(deployment, str(rs["metadata"]["name"]), counts(rs).replicas, replicas)
        return self.set_replicas(REPLICA_SETS, rs, replicas, annotations)

    def _sync_revision(self, deployment: Manifest, new_rs: Manifest, olds: list[Manifest]) -> Manifest:
        """The new ReplicaSet carries the highest revision (a rollback re-numbers an old one), and the
        Deployment carries its revision."""
        highest_old = max((revision_of(rs) for rs in olds), default=0)
        if revision_of(new_rs) <= highest_old:
            changed = copy.deepcopy(new_rs)
            changed["metadata"].setdefault("annotations", {})[REVISION] = str(highest_old + 1)
            new_rs = self.write(REPLICA_SETS, changed)
        wanted = str(revision_of(new_rs))
        current = self.get(
            DEPLOYMENTS, str(deployment["metadata"]["namespace"]), str(deployment["metadata"]["name"])
        )
        if current is not None and (current["metadata"].get("annotations") or {}).get(REVISION) != wanted:
            changed = copy.deepcopy(current)
            changed["metadata"].setdefault("annotations", {})[REVISION] = wanted
            self.write(DEPLOYMENTS, changed)
        return new_rs

    def _clean_up(self, deployment: Manifest, olds: list[Manifest]) -> None:
        """Delete the oldest scaled-down ReplicaSets beyond `revisionHistoryLimit`."""
        limit = (deployment.get("spec") or {}).get("revisionHistoryLimit")
        limit = 10 if limit is None else int(limit)
        idle = [
            rs
            for rs in olds
            if not int((rs.get("spec") or {}).get("replicas") or 0)
            and not int((rs.get("status") or {}).get("replicas") or 0)
            and not rs["metadata"].get("deletionTimestamp")
        ]
        idle.sort(key=lambda rs: (revision_of(rs), str(rs["metadata"].get("creationTimestamp"))))
        for rs in idle[: max(0, len(idle) - limit)]:
            self.remove(REPLICA_SETS, rs)

    # -- status ----------------------------------------------------------------------------------
    def _post_status(
        self,
        deployment: Manifest,
        new_rs: Manifest | None,
        *,
        created: bool,
        paused: bool,
    ) -> None:
        namespace, name = str(deployment["metadata"]["namespace"]), str(deployment["metadata"]["name"])
        current = self.get(DEPLOYMENTS, namespace, name)
        if current is None:
            return
        sets = self.owned(REPLICA_SETS, current)
        new_rs = next(
            (rs for rs in sets if new_rs is not None and rs["metadata"]["uid"] == new_rs["metadata"]["uid"]),
            None,
        )
        status, wait = deployment_status.status_of(
            current, new_rs, sets, clock.now(), created=created, paused=paused
        )
        self.write_status(DEPLOYMENTS, current, deployment_status.compact(status))
        key = ("progress", current["metadata"]["uid"])
        if wait is not None:
            self.after(wait, key, lambda: self._recheck(namespace, name))
        else:
            self.cancel(key)

    def _recheck(self, namespace: str, name: str) -> None:
        found = self.get(DEPLOYMENTS, namespace, name)
        if found is not None:
            self.reconcile(found)
