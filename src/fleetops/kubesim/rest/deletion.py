"""DELETE: preconditions, finalizers and `deletionTimestamp`, propagation policies, namespaces.

What happens to dependents (garbage collection) and to a terminating namespace's contents is the
work of the controllers in `fleetops.kubesim.controllers`; this module only marks or removes.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import clock, errors
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest import objectmeta
from fleetops.kubesim.rest.caller import Caller, DeleteOptions
from fleetops.kubesim.rest.reads import as_served
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.writelog import WriteRecord

Manifest = dict[str, Any]

FOREGROUND = "foregroundDeletion"
ORPHAN = "orphan"


def _grace_period(info: ResourceInfo, live: Manifest, options: DeleteOptions) -> int:
    """Seconds a Pod bound to a node gets to terminate (the kubelet removes it); 0 for the rest."""
    if (info.gvk.group, info.gvk.kind) != ("", "Pod") or not (live.get("spec") or {}).get("nodeName"):
        return 0
    if options.grace_period_seconds is not None:
        return max(0, options.grace_period_seconds)
    return int((live.get("spec") or {}).get("terminationGracePeriodSeconds") or 30)


def policy_of(options: DeleteOptions) -> str:
    if options.propagation:
        if options.propagation not in ("Background", "Foreground", "Orphan"):
            raise errors.invalid(
                "DeleteOptions",
                "",
                "",
                [
                    errors.Cause(
                        "FieldValueNotSupported",
                        f'Unsupported value: "{options.propagation}": supported values: "Foreground", '
                        '"Background", "Orphan"',
                        "propagationPolicy",
                    )
                ],
            )
        return options.propagation
    if options.orphan_dependents is True:
        return "Orphan"
    return "Background"


class Deleter:
    def __init__(self, state: ClusterState) -> None:
        self.state = state

    def has_dependents(self, uid: str) -> bool:
        return bool(self.state.store.indexes.dependents_of(uid))

    def delete(
        self, info: ResourceInfo, namespace: str, name: str, options: DeleteOptions, caller: Caller
    ) -> Manifest:
        resource = group_resource(info)
        key_namespace = namespace if info.namespaced else ""
        live = self.state.store.get(resource, key_namespace, name)
        if live is None:
            raise errors.not_found(info.plural, info.gvk.group, name)
        self._check_preconditions(info, name, live, options)
        policy = policy_of(options)
        metadata = live["metadata"]
        finalizers = list(metadata.get("finalizers") or [])
        if metadata.get("deletionTimestamp"):
            if options.grace_period_seconds == 0 and not finalizers and not options.dry_run:
                return self._remove(info, resource, key_namespace, name, caller)
            return as_served(live, info)
        uid = str(metadata.get("uid") or "")
        if policy in ("Foreground", "Orphan") and self.has_dependents(uid):
            marker = FOREGROUND if policy == "Foreground" else ORPHAN
            if marker not in finalizers:
                finalizers.append(marker)
        terminating_namespace = info.gvk.group == "" and info.gvk.kind == "Namespace"
        grace = _grace_period(info, live, options)
        if finalizers or terminating_namespace or grace:
            marked = copy.deepcopy(live)
            marked_meta = marked["metadata"]
            marked_meta["deletionTimestamp"] = clock.rfc3339(clock.now() + timedelta(seconds=grace))
            marked_meta["deletionGracePeriodSeconds"] = grace
            if finalizers:
                marked_meta["finalizers"] = finalizers
            if objectmeta.has_generation(info) and "generation" in marked_meta:
                marked_meta["generation"] = int(marked_meta["generation"]) + 1
            if terminating_namespace:
                marked.setdefault("status", {})["phase"] = "Terminating"
            if options.dry_run:
                return as_served(marked, info)
            stored = self.state.store.update(resource, marked)
            self._log(info, stored, caller)
            return as_served(stored, info)
        if options.dry_run:
            return as_served(live, info)
        return self._remove(info, resource, key_namespace, name, caller)

    def _remove(
        self, info: ResourceInfo, resource: GroupResource, namespace: str, name: str, caller: Caller
    ) -> Manifest:
        gone = self.state.store.delete(resource, namespace, name)
        assert gone is not None
        self._log(info, gone, caller)
        return as_served(gone, info)

    def _check_preconditions(
        self, info: ResourceInfo, name: str, live: Manifest, options: DeleteOptions
    ) -> None:
        metadata = live["metadata"]
        if options.precondition_uid and options.precondition_uid != metadata.get("uid"):
            raise errors.conflict(
                info.plural,
                info.gvk.group,
                name,
                f"Precondition failed: UID in precondition: {options.precondition_uid}, "
                f"UID in object meta: {metadata.get('uid')}",
            )
        wanted = options.precondition_resource_version
        if wanted and wanted != metadata.get("resourceVersion"):
            raise errors.conflict(
                info.plural,
                info.gvk.group,
                name,
                f"Precondition failed: ResourceVersion in precondition: {wanted}, "
                f"ResourceVersion in object meta: {metadata.get('resourceVersion')}",
            )

    def _log(self, info: ResourceInfo, obj: Manifest, caller: Caller) -> None:
        metadata = obj.get("metadata") or {}
        self.state.write_log.record(
            WriteRecord(
                verb="delete",
                resource=str(group_resource(info)),
                namespace=str(metadata.get("namespace") or ""),
                name=str(metadata.get("name") or ""),
                field_manager="",
                identity=caller.identity,
                user_agent=caller.user_agent,
                time=clock.rfc3339_micro(),
                resource_version=str(metadata.get("resourceVersion") or ""),
            )
        )
