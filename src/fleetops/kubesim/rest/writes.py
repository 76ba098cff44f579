"""Writes: create, update (PUT), patch and server-side apply, with dry-run and field validation.

Every write goes through the same admission steps a real API server applies: decode, field
validation (`Strict` / `Warn` / `Ignore`), metadata rules, defaults, custom resource schemas, size
limits, managedFields, then the store (skipped with `dryRun=All`) and the write log.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import clock, errors
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.rest import crd_admission, custom, limits, managed, objectmeta, patches
from fleetops.kubesim.rest.allocation import allocate_service
from fleetops.kubesim.rest.caller import Caller, WriteOptions
from fleetops.kubesim.rest.decode import check_kind, decode_document
from fleetops.kubesim.rest.defaults import apply_defaults
from fleetops.kubesim.rest.reads import as_served
from fleetops.kubesim.rest.required import missing_required
from fleetops.kubesim.rest.unknown_fields import prune_unknown
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.writelog import WriteRecord

Manifest = dict[str, Any]


@dataclass
class WriteResult:
    object: Manifest
    created: bool = False
    warnings: list[str] = field(default_factory=list)


def _terminating(info: ResourceInfo, name: str, namespace: str) -> errors.ApiError:
    return errors.forbidden(
        info.plural,
        info.gvk.group,
        name,
        f"unable to create new content in namespace {namespace} because it is being terminated",
    )


class Writer:
    def __init__(self, state: ClusterState) -> None:
        self.state = state

    # -- admission steps -------------------------------------------------------------------------
    def _validate_fields(
        self, obj: Manifest, info: ResourceInfo, options: WriteOptions, warnings: list[str]
    ) -> Manifest:
        node = self.state.schema.node_for(info.gvk)
        pruned, unknown = prune_unknown(obj, node)
        if unknown and options.field_validation == "Strict":
            listed = ", ".join(f'unknown field "{path}"' for path in unknown)
            raise errors.bad_request(f"strict decoding error: {listed}")
        if unknown and options.field_validation == "Warn":
            warnings.extend(f'unknown field "{path}"' for path in unknown)
        result: Manifest = pruned
        return result

    def _check_typed(self, document: Manifest, info: ResourceInfo) -> None:
        """Server-side apply types the applied object with the schema before anything else, so a
        field the schema does not declare fails the request whatever `fieldValidation` says (the
        API server checks only duplicate fields for it). Structured-merge-diff prints list items
        by key (`[name="app"]`); kubesim prints their index."""
        _, unknown = prune_unknown(document, self.state.schema.node_for(info.gvk))
        if not unknown:
            return
        metadata = document.get("metadata") or {}
        group, version = info.gvk.group, info.gvk.version
        where = (
            f"{metadata.get('namespace') or ''}/{metadata.get('name') or ''}; "
            f"{group}/{version}, Kind={info.gvk.kind}"
        )
        found = [f".{path}: field not declared in schema" for path in unknown]
        text = found[0] if len(found) == 1 else "\n".join(["errors:", *(f"  {line}" for line in found)])
        raise errors.typed_patch_error(f"failed to create typed patch object ({where}): {text}")

    def _check_namespace(self, info: ResourceInfo, namespace: str, name: str) -> None:
        if not info.namespaced:
            return
        phase = self.state.namespace_phase(namespace)
        if phase is None:
            raise errors.not_found("namespaces", "", namespace)
        if phase == "Terminating":
            raise _terminating(info, name, namespace)

    def _validate(self, obj: Manifest, info: ResourceInfo, name: str) -> None:
        causes = limits.size_causes(obj, info.gvk.group, info.gvk.kind)
        causes.extend(custom.schema_causes(self.state, info, obj))
        if info.builtin:
            causes.extend(missing_required(obj, self.state.schema.node_for(info.gvk)))
        causes.extend(crd_admission.causes(self.state, info, obj))
        if causes:
            raise errors.invalid(info.gvk.kind, info.gvk.group, name, causes)
        limits.check_object_size(obj)

    def _log(  # noqa: PLR0917
        self,
        verb: str,
        info: ResourceInfo,
        obj: Manifest,
        manager: str,
        caller: Caller,
        subresource: str = "",
    ) -> None:
        metadata = obj.get("metadata") or {}
        resource = str(group_resource(info)) + (f"/{subresource}" if subresource else "")
        self.state.write_log.record(
            WriteRecord(
                verb=verb,
                resource=resource,
                namespace=str(metadata.get("namespace") or ""),
                name=str(metadata.get("name") or ""),
                field_manager=manager,
                identity=caller.identity,
                user_agent=caller.user_agent,
                time=clock.rfc3339_micro(),
                resource_version=str(metadata.get("resourceVersion") or ""),
            )
        )

    # -- create ----------------------------------------------------------------------------------
    def create(
        self,
        info: ResourceInfo,
        namespace: str,
        body: Manifest,
        options: WriteOptions,
        caller: Caller,
        *,
        verb: str = "create",
        applied: bool = False,
    ) -> WriteResult:
        warnings: list[str] = []
        obj = copy.deepcopy(body) if applied else self._validate_fields(body, info, options, warnings)
        objectmeta.place_in_namespace(obj, info, namespace)
        name = objectmeta.assign_name(obj, info)
        self._check_namespace(info, namespace, name)
        if self.state.store.get(group_resource(info), namespace if info.namespaced else "", name) is not None:
            raise errors.already_exists(info.plural, info.gvk.group, name)
        now = clock.rfc3339()
        apply_defaults(obj, info.gvk.group, info.gvk.kind)
        if (info.gvk.group, info.gvk.kind) == ("", "Service"):
            allocate_service(self.state, obj)
        custom.apply_schema_defaults(self.state, info, obj)
        objectmeta.prepare_create(obj, info, now)
        if crd_admission.is_crd(info):
            crd_admission.on_create(obj)
        self._validate(obj, info, name)
        manager = options.manager(caller)
        if not applied:
            obj = managed.record_update(self.state, info, None, obj, manager=manager, now=now)
        if options.dry_run:
            return WriteResult(as_served(obj, info), True, warnings)
        stored = self.state.store.create(group_resource(info), obj)
        self._log(verb, info, stored, manager, caller)
        return WriteResult(as_served(stored, info), True, warnings)

    # -- update and patch ------------------------------------------------------------------------
    def _live(self, info: ResourceInfo, namespace: str, name: str) -> Manifest:
        live = self.state.store.get(group_resource(info), namespace if info.namespaced else "", name)
        if live is None:
            raise errors.not_found(info.plural, info.gvk.group, name)
        return live

    def update(  # noqa: PLR0917 - the REST verbs' natural argument order
        self,
        info: ResourceInfo,
        namespace: str,
        name: str,
        body: Manifest,
        options: WriteOptions,
        caller: Caller,
        subresource: str = "",
    ) -> WriteResult:
        warnings: list[str] = []
        obj = self._validate_fields(body, info, options, warnings)
        given = (obj.get("metadata") or {}).get("name")
        if given and given != name:
            raise errors.bad_request(
                f"the name of the object ({given}) does not match the name on the URL ({name})"
            )
        objectmeta.place_in_namespace(obj, info, namespace)
        live = self._live(info, namespace, name)
        self._check_precondition(info, name, obj, live)
        result = self._commit(info, live, obj, options, caller, subresource, "update", applied=False)
        result.warnings = warnings
        return result

    def patch(  # noqa: PLR0917 - the REST verbs' natural argument order
        self,
        info: ResourceInfo,
        namespace: str,
        name: str,
        content_type: str,
        raw: bytes,
        options: WriteOptions,
        caller: Caller,
        subresource: str = "",
    ) -> WriteResult:
        kind = patches.check_patch_type(content_type, info)
        if kind == patches.APPLY_PATCH:
            return self.apply(info, namespace, name, raw, options, caller, subresource)
        live = self._live(info, namespace, name)
        patched = patches.apply_patch(self.state, info, as_served(live, info), kind, raw)
        warnings: list[str] = []
        obj = self._validate_fields(patched, info, options, warnings)
        objectmeta.place_in_namespace(obj, info, namespace)
        self._check_precondition(info, name, obj, live)
        result = self._commit(info, live, obj, options, caller, subresource, "patch", applied=False)
        result.warnings = warnings
        return result

    def apply(  # noqa: PLR0917 - the REST verbs' natural argument order
        self,
        info: ResourceInfo,
        namespace: str,
        name: str,
        raw: bytes,
        options: WriteOptions,
        caller: Caller,
        subresource: str = "",
    ) -> WriteResult:
        document = decode_document(raw, patches.APPLY_PATCH)
        if not isinstance(document, dict):
            raise errors.bad_request("couldn't get version/kind; json parse error: expected an object")
        check_kind(document, info)
        if not options.field_manager:
            raise errors.bad_request("PATCH, application/apply-patch+yaml requires fieldManager to be set")
        self._check_typed(document, info)
        warnings: list[str] = []
        applied = self._validate_fields(document, info, options, warnings)
        metadata = objectmeta.metadata_of(applied)
        if metadata.get("name") and metadata["name"] != name:
            raise errors.bad_request(
                f"the name of the object ({metadata['name']}) does not match the name on the URL ({name})"
            )
        metadata["name"] = name
        objectmeta.place_in_namespace(applied, info, namespace)
        live = self.state.store.get(group_resource(info), namespace if info.namespaced else "", name)
        now = clock.rfc3339()
        if live is None:
            self._check_namespace(info, namespace, name)
            obj = managed.server_side_apply(
                self.state, info, None, applied, manager=options.field_manager, force=options.force, now=now
            )
            result = self.create(info, namespace, obj, options, caller, verb="apply", applied=True)
        else:
            self._check_precondition(info, name, applied, live)
            obj = managed.server_side_apply(
                self.state,
                info,
                as_served(live, info),
                applied,
                manager=options.field_manager,
                force=options.force,
                now=now,
                subresource=subresource,
            )
            result = self._commit(info, live, obj, options, caller, subresource, "apply", applied=True)
        result.warnings = warnings
        return result

    def _check_precondition(self, info: ResourceInfo, name: str, obj: Manifest, live: Manifest) -> None:
        wanted = (obj.get("metadata") or {}).get("resourceVersion")
        if wanted and str(wanted) != str(live["metadata"].get("resourceVersion")):
            raise errors.stale(info.plural, info.gvk.group, name)
        wanted_uid = (obj.get("metadata") or {}).get("uid")
        if wanted_uid and wanted_uid != live["metadata"].get("uid"):
            raise errors.conflict(
                info.plural,
                info.gvk.group,
                name,
                f"Precondition failed: UID in precondition: {wanted_uid}, "
                f"UID in object meta: {live['metadata'].get('uid')}",
            )

    def _commit(  # noqa: PLR0917 - the REST verbs' natural argument order
        self,
        info: ResourceInfo,
        live: Manifest,
        obj: Manifest,
        options: WriteOptions,
        caller: Caller,
        subresource: str,
        verb: str,
        *,
        applied: bool,
    ) -> WriteResult:
        name = live["metadata"]["name"]
        now = clock.rfc3339()
        apply_defaults(obj, info.gvk.group, info.gvk.kind)
        custom.apply_schema_defaults(self.state, info, obj)
        new = objectmeta.prepare_update(obj, live, info, subresource)
        self._validate(new, info, name)
        manager = options.manager(caller)
        if not applied:
            new = managed.record_update(
                self.state,
                info,
                as_served(live, info),
                new,
                manager=manager,
                now=now,
                subresource=subresource,
            )
        new["metadata"]["resourceVersion"] = live["metadata"].get("resourceVersion")
        unchanged = objectmeta.without_volatile(new) == objectmeta.without_volatile(as_served(live, info))
        if unchanged:
            return WriteResult(as_served(live, info))
        finished = (
            bool(new["metadata"].get("deletionTimestamp"))
            and not new["metadata"].get("finalizers")
            and not new["metadata"].get("deletionGracePeriodSeconds")
        )
        if options.dry_run:
            return WriteResult(as_served(new, info))
        resource = group_resource(info)
        if finished:
            metadata = new["metadata"]
            gone = self.state.store.delete(resource, str(metadata.get("namespace") or ""), name)
            self._log("delete", info, gone or new, manager, caller, subresource)
            return WriteResult(as_served(gone or new, info))
        stored = self.state.store.update(resource, new)
        self._log(verb, info, stored, manager, caller, subresource)
        return WriteResult(as_served(stored, info))
