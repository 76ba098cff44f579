"""ControllerRevisions: the template history of StatefulSets and DaemonSets (`kubectl rollout history`)."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.workloads import ownership
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.hashing import template_hash
from fleetops.kubesim.workloads.resources import CONTROLLER_REVISIONS

Manifest = dict[str, Any]

REVISION_LABEL = "controller-revision-hash"


def revision_name(owner: Manifest) -> str:
    """`<name>-<hash of the pod template>`, the value of `updateRevision` and of the Pods' label."""
    template = (owner.get("spec") or {}).get("template") or {}
    return f"{owner['metadata']['name']}-{template_hash(template)}"


def ensure_revision(controller: WorkloadController, owner: Manifest, kind: str) -> str:
    """Create the ControllerRevision of the owner's current template if missing; its name."""
    name = revision_name(owner)
    namespace = str(owner["metadata"]["namespace"])
    if controller.get(CONTROLLER_REVISIONS, namespace, name) is not None:
        return name
    existing = controller.owned(CONTROLLER_REVISIONS, owner)
    number = max((int(rev.get("revision") or 0) for rev in existing), default=0) + 1
    template = copy.deepcopy((owner.get("spec") or {}).get("template") or {})
    template["$patch"] = "replace"
    labels = dict(((owner.get("spec") or {}).get("selector") or {}).get("matchLabels") or {})
    labels[REVISION_LABEL] = name.rsplit("-", 1)[-1]
    controller.create(
        CONTROLLER_REVISIONS,
        namespace,
        {
            "apiVersion": "apps/v1",
            "kind": "ControllerRevision",
            "metadata": {
                "name": name,
                "labels": labels,
                "ownerReferences": [ownership.reference_to(owner, api_version="apps/v1", kind=kind)],
            },
            "data": {"spec": {"template": template}},
            "revision": number,
        },
    )
    return name


def trim_history(controller: WorkloadController, owner: Manifest, keep: set[str]) -> None:
    """Delete the oldest revisions beyond `revisionHistoryLimit` (never those in `keep`)."""
    limit = (owner.get("spec") or {}).get("revisionHistoryLimit")
    limit = 10 if limit is None else int(limit)
    old = sorted(
        (rev for rev in controller.owned(CONTROLLER_REVISIONS, owner) if rev["metadata"]["name"] not in keep),
        key=lambda rev: int(rev.get("revision") or 0),
    )
    for rev in old[: max(0, len(old) - limit)]:
        controller.remove(CONTROLLER_REVISIONS, rev)
