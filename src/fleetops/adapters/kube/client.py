"""`HttpKubeClient`: the `KubeClient` port over HTTP (see `transport.py` for why it is our own).

Objects are plain dicts. REST mapping comes from discovery (`discovery.py`). List items get the
`apiVersion` and `kind` the server leaves out of them. Writes take `dry_run` (`dryRun=All`) and a
`field_manager` and, when given, `field_validation` (`fieldValidation=Strict|Warn|Ignore`);
server-side apply sends `application/apply-patch+yaml` with `fieldManager` and `force`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from fleetops.adapters.kube.config import ClusterConfig
from fleetops.adapters.kube.discovery import Discovery
from fleetops.adapters.kube.paths import resource_path
from fleetops.adapters.kube.ratelimit import Clock
from fleetops.adapters.kube.status import error_from_status
from fleetops.adapters.kube.transport import USER_AGENT, RequestObserver, Transport
from fleetops.core.schema import ResourceInfo
from fleetops.model import GroupKind, GroupVersionKind
from fleetops.model import manifest as manifests
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import (
    FieldValidation,
    Gone,
    KubeClient,
    ObjectList,
    PatchType,
    PropagationPolicy,
    ServerVersion,
    WatchEvent,
)

_WATCH_TYPES = frozenset({"ADDED", "MODIFIED", "DELETED", "BOOKMARK"})


def _write_params(
    field_manager: str,
    dry_run: bool,
    force: bool | None = None,
    field_validation: FieldValidation | None = None,
) -> dict[str, str]:
    params: dict[str, str] = {}
    if field_manager:
        params["fieldManager"] = field_manager
    if dry_run:
        params["dryRun"] = "All"
    if force is not None:
        params["force"] = "true" if force else "false"
    if field_validation is not None:
        params["fieldValidation"] = field_validation
    return params


def _selector_params(label_selector: str, field_selector: str) -> dict[str, str]:
    params: dict[str, str] = {}
    if label_selector:
        params["labelSelector"] = label_selector
    if field_selector:
        params["fieldSelector"] = field_selector
    return params


class HttpKubeClient:
    def __init__(
        self,
        config: ClusterConfig,
        *,
        clock: Clock | None = None,
        observer: RequestObserver | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.config = config
        self.transport = Transport(config, clock=clock, observer=observer, user_agent=user_agent)
        self.discovery = Discovery(lambda path, accept: self.transport.request("GET", path, accept=accept))

    @property
    def server(self) -> str:
        return self.config.server

    @property
    def default_namespace(self) -> str:
        return self.config.namespace

    async def close(self) -> None:
        await self.transport.close()

    async def __aenter__(self) -> HttpKubeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------ discovery

    async def server_version(self) -> ServerVersion:
        body = await self.transport.request("GET", "/version") or {}
        return ServerVersion(
            major=str(body.get("major", "")),
            minor=str(body.get("minor", "")),
            git_version=str(body.get("gitVersion", "")),
            platform=str(body.get("platform", "")),
        )

    async def resources(self) -> Sequence[ResourceInfo]:
        return await self.discovery.resources()

    async def resource_for(self, what: GroupVersionKind | GroupKind) -> ResourceInfo:
        return await self.discovery.resource_for(what)

    async def _object_path(self, obj: Manifest, subresource: str = "", *, named: bool = True) -> str:
        info = await self.resource_for(manifests.gvk(obj))
        namespace = manifests.namespace(obj) or self.config.namespace
        name = manifests.name(obj) if named else ""
        return resource_path(info, namespace, name, subresource)

    # ------------------------------------------------------------ reads

    async def get(
        self, gvk: GroupVersionKind, name: str, namespace: str | None = None, *, subresource: str = ""
    ) -> Manifest:
        info = await self.resource_for(gvk)
        path = resource_path(info, namespace or self.config.namespace, name, subresource)
        result: Manifest = await self.transport.request("GET", path)
        return result

    async def list_page(
        self,
        gvk: GroupVersionKind,
        namespace: str | None = None,
        *,
        label_selector: str = "",
        field_selector: str = "",
        limit: int = 0,
        continue_token: str = "",
        resource_version: str = "",
    ) -> ObjectList:
        info = await self.resource_for(gvk)
        params = _selector_params(label_selector, field_selector)
        if limit:
            params["limit"] = str(limit)
        if continue_token:
            params["continue"] = continue_token
        if resource_version:
            params["resourceVersion"] = resource_version
        body = await self.transport.request("GET", resource_path(info, namespace), params=params) or {}
        metadata = body.get("metadata") or {}
        items = tuple(
            {"apiVersion": gvk.api_version, "kind": info.gvk.kind, **item} for item in body.get("items") or ()
        )
        remaining = metadata.get("remainingItemCount")
        return ObjectList(
            items=items,
            resource_version=str(metadata.get("resourceVersion", "")),
            continue_token=str(metadata.get("continue") or ""),
            remaining=int(remaining) if remaining is not None else None,
        )

    async def list(
        self,
        gvk: GroupVersionKind,
        namespace: str | None = None,
        *,
        label_selector: str = "",
        field_selector: str = "",
        page_size: int = 500,
    ) -> ObjectList:
        items: list[Manifest] = []
        token = ""
        while True:
            page = await self.list_page(
                gvk,
                namespace,
                label_selector=label_selector,
                field_selector=field_selector,
                limit=page_size,
                continue_token=token,
            )
            items.extend(page.items)
            if not page.continue_token:
                return ObjectList(tuple(items), page.resource_version)
            token = page.continue_token

    # ------------------------------------------------------------ writes

    async def create(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        if subresource:
            path = await self._object_path(obj, subresource)
        else:
            path = await self._object_path(obj, named=False)
        params = _write_params(field_manager, dry_run, field_validation=field_validation)
        result: Manifest = await self.transport.request("POST", path, params=params, body=obj)
        return result

    async def replace(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        path = await self._object_path(obj, subresource)
        params = _write_params(field_manager, dry_run, field_validation=field_validation)
        result: Manifest = await self.transport.request("PUT", path, params=params, body=obj)
        return result

    async def delete(
        self,
        gvk: GroupVersionKind,
        name: str,
        namespace: str | None = None,
        *,
        propagation_policy: PropagationPolicy | None = None,
        dry_run: bool = False,
        preconditions: Mapping[str, str] | None = None,
    ) -> Manifest:
        info = await self.resource_for(gvk)
        options: Manifest = {"kind": "DeleteOptions", "apiVersion": "v1"}
        if propagation_policy:
            options["propagationPolicy"] = propagation_policy
        if dry_run:
            options["dryRun"] = ["All"]
        if preconditions:
            options["preconditions"] = dict(preconditions)
        path = resource_path(info, namespace or self.config.namespace, name)
        result: Manifest = await self.transport.request("DELETE", path, body=options) or {}
        return result

    async def patch(
        self,
        gvk: GroupVersionKind,
        name: str,
        patch: Any,
        namespace: str | None = None,
        *,
        patch_type: PatchType = PatchType.MERGE,
        field_manager: str = "",
        force: bool | None = None,
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        info = await self.resource_for(gvk)
        path = resource_path(info, namespace or self.config.namespace, name, subresource)
        params = _write_params(
            field_manager,
            dry_run,
            force if patch_type is PatchType.APPLY else None,
            field_validation,
        )
        body = patch if isinstance(patch, bytes) else json.dumps(patch).encode()
        result: Manifest = await self.transport.request(
            "PATCH", path, params=params, body=body, content_type=str(patch_type)
        )
        return result

    async def apply(
        self,
        obj: Manifest,
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        if not field_manager:
            raise ValueError("server-side apply needs a field manager")
        return await self.patch(
            manifests.gvk(obj),
            manifests.name(obj),
            obj,  # JSON is YAML: the apply body is the object as JSON
            manifests.namespace(obj) or None,
            patch_type=PatchType.APPLY,
            field_manager=field_manager,
            force=force,
            dry_run=dry_run,
            subresource=subresource,
            field_validation=field_validation,
        )

    async def patch_status(
        self,
        gvk: GroupVersionKind,
        name: str,
        patch: Any,
        namespace: str | None = None,
        *,
        patch_type: PatchType = PatchType.MERGE,
        field_manager: str = "",
    ) -> Manifest:
        return await self.patch(
            gvk,
            name,
            patch,
            namespace,
            patch_type=patch_type,
            field_manager=field_manager,
            subresource="status",
        )

    # ------------------------------------------------------------ watch

    async def watch(
        self,
        gvk: GroupVersionKind,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str = "",
        field_selector: str = "",
        timeout_seconds: int | None = None,
        allow_bookmarks: bool = True,
    ) -> AsyncIterator[WatchEvent]:
        info = await self.resource_for(gvk)
        params = _selector_params(label_selector, field_selector)
        params["watch"] = "true"
        if resource_version:
            params["resourceVersion"] = resource_version
        if allow_bookmarks:
            params["allowWatchBookmarks"] = "true"
        if timeout_seconds is not None:
            params["timeoutSeconds"] = str(timeout_seconds)
        lines = self.transport.stream_lines(
            resource_path(info, namespace), params=params, watch_seconds=timeout_seconds
        )
        async for line in lines:
            kind = str(line.get("type", ""))
            obj = line.get("object") or {}
            if kind == "ERROR":
                error = error_from_status(int(obj.get("code") or 500), obj)
                if error.code == 410:
                    raise Gone(410, error.reason or "Expired", error.message, status=error.status)
                raise error
            if kind not in _WATCH_TYPES:
                continue
            if kind != "BOOKMARK":
                obj.setdefault("apiVersion", gvk.api_version)
                obj.setdefault("kind", info.gvk.kind)
            yield WatchEvent(kind, obj)  # type: ignore[arg-type]


def _implements_port(client: HttpKubeClient) -> KubeClient:
    return client  # mypy checks HttpKubeClient against the KubeClient port here
