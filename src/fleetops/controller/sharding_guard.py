"""`GuardedClient`: a destination cluster's `KubeClient` that asks a guard before every write.

The sharded controller wraps each destination's client with its `ShardManager.check` for that
cluster, so no write reaches a cluster whose Lease this replica does not hold — whatever code path
the write comes from (sync, prune, hooks, deletion). Reads and watches pass through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from fleetops.core.schema import ResourceInfo
from fleetops.model import GroupKind, GroupVersionKind
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import (
    FieldValidation,
    KubeClient,
    KubeError,
    ObjectList,
    PatchType,
    PropagationPolicy,
    ServerVersion,
    WatchEvent,
)


class NotOwner(KubeError):
    """A write to a cluster whose Lease this replica does not hold (or could not renew)."""


Guard = Callable[[], None]
"""Raises (a `KubeError`) when writing is not allowed now."""


class GuardedClient:
    def __init__(self, client: KubeClient, guard: Guard) -> None:
        self.inner = client
        self._guard = guard

    @property
    def server(self) -> str:
        return self.inner.server

    @property
    def default_namespace(self) -> str:
        return self.inner.default_namespace

    async def server_version(self) -> ServerVersion:
        return await self.inner.server_version()

    async def resources(self) -> Sequence[ResourceInfo]:
        return await self.inner.resources()

    async def resource_for(self, what: GroupVersionKind | GroupKind) -> ResourceInfo:
        return await self.inner.resource_for(what)

    async def get(
        self, gvk: GroupVersionKind, name: str, namespace: str | None = None, *, subresource: str = ""
    ) -> Manifest:
        return await self.inner.get(gvk, name, namespace, subresource=subresource)

    async def list(
        self,
        gvk: GroupVersionKind,
        namespace: str | None = None,
        *,
        label_selector: str = "",
        field_selector: str = "",
        page_size: int = 500,
    ) -> ObjectList:
        return await self.inner.list(
            gvk, namespace, label_selector=label_selector, field_selector=field_selector, page_size=page_size
        )

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
        return await self.inner.list_page(
            gvk,
            namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            continue_token=continue_token,
            resource_version=resource_version,
        )

    async def create(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        if not dry_run:
            self._guard()
        return await self.inner.create(
            obj,
            field_manager=field_manager,
            dry_run=dry_run,
            subresource=subresource,
            field_validation=field_validation,
        )

    async def replace(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest:
        if not dry_run:
            self._guard()
        return await self.inner.replace(
            obj,
            field_manager=field_manager,
            dry_run=dry_run,
            subresource=subresource,
            field_validation=field_validation,
        )

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
        if not dry_run:
            self._guard()
        return await self.inner.delete(
            gvk,
            name,
            namespace,
            propagation_policy=propagation_policy,
            dry_run=dry_run,
            preconditions=preconditions,
        )

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
        if not dry_run:
            self._guard()
        return await self.inner.patch(
            gvk,
            name,
            patch,
            namespace,
            patch_type=patch_type,
            field_manager=field_manager,
            force=force,
            dry_run=dry_run,
            subresource=subresource,
            field_validation=field_validation,
        )

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
        if not dry_run:
            self._guard()
        return await self.inner.apply(
            obj,
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
        self._guard()
        return await self.inner.patch_status(
            gvk, name, patch, namespace, patch_type=patch_type, field_manager=field_manager
        )

    def watch(
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
        return self.inner.watch(
            gvk,
            namespace,
            resource_version=resource_version,
            label_selector=label_selector,
            field_selector=field_selector,
            timeout_seconds=timeout_seconds,
            allow_bookmarks=allow_bookmarks,
        )

    async def close(self) -> None:
        await self.inner.close()


def _implements_port(client: GuardedClient) -> KubeClient:
    return client
