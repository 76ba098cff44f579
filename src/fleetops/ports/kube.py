"""The Kubernetes port: what the engine and controllers need from a cluster.

`KubeClient` is one cluster's REST API (CRUD, patches, server-side apply, watch, discovery);
`LiveCache` is the watch-fed copy of the objects of the kinds in use. Errors are typed: every
API failure is an `ApiError` decoded from the server's `Status`, a connection failure is
`Unreachable`. The adapter lives in `fleetops.adapters.kube`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from fleetops.core.schema import ResourceInfo
from fleetops.model import GroupKind, GroupVersionKind, ResourceKey
from fleetops.model.manifest import Manifest

TRACKING_ANNOTATION = "argocd.argoproj.io/tracking-id"
"""Argo CD's tracking annotation: `<app>:<group>/<kind>:<namespace>/<name>`."""


# ---------------------------------------------------------------- errors


class KubeError(Exception):
    """Any failure talking to a cluster."""


@dataclass(frozen=True, slots=True)
class Cause:
    """One `details.causes[]` entry of a `Status`."""

    reason: str
    message: str
    field: str


_CONFLICT_MANAGER = re.compile(r'conflict with "(?P<manager>[^"]*)"')


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """A server-side apply conflict: `manager` owns `field` (e.g. `.spec.replicas`)."""

    manager: str
    field: str
    message: str


class ApiError(KubeError):
    """The server answered with a failure `Status` (`code`, `reason`, `message`)."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        causes: Sequence[Cause] = (),
        status: Manifest | None = None,
    ) -> None:
        super().__init__(f"{code} {reason}: {message}" if reason else f"{code}: {message}")
        self.code = code
        self.reason = reason
        self.message = message
        self.causes = tuple(causes)
        self.status: Manifest = status or {}


class NotFound(ApiError):
    """404: the object, its namespace, or the resource does not exist."""


class AlreadyExists(ApiError):
    """409 AlreadyExists: a create of a name that is taken."""


class Conflict(ApiError):
    """409 Conflict: a stale resourceVersion, or server-side apply conflicts (`field_conflicts`)."""

    @property
    def field_conflicts(self) -> tuple[FieldConflict, ...]:
        found: list[FieldConflict] = []
        for cause in self.causes:
            if cause.reason != "FieldManagerConflict":
                continue
            match = _CONFLICT_MANAGER.search(cause.message)
            found.append(FieldConflict(match.group("manager") if match else "", cause.field, cause.message))
        return tuple(found)


class Invalid(ApiError):
    """422 Invalid: the object breaks the schema; `causes` say which fields."""


class BadRequest(ApiError):
    """400: e.g. strict decoding errors, a malformed patch or selector."""


class Unauthorized(ApiError):
    """401: the credentials were refused."""


class Forbidden(ApiError):
    """403: not allowed (e.g. RBAC, a terminating namespace)."""


class Gone(ApiError):
    """410 Expired/Gone: a watch or continue token from a resourceVersion the server forgot."""


class UnknownKind(KubeError):
    """The server does not serve this kind (even after refreshing discovery)."""

    def __init__(self, what: GroupVersionKind | GroupKind) -> None:
        super().__init__(f"the server does not serve {what}")
        self.what = what


class Unreachable(KubeError):
    """The server could not be reached (connection refused, DNS, TLS, timeout)."""

    def __init__(self, server: str, error: BaseException) -> None:
        super().__init__(f"cannot reach {server}: {error or type(error).__name__}")
        self.server = server
        self.error = error


# ---------------------------------------------------------------- data


class PatchType(enum.StrEnum):
    """The patch flavours of PATCH, by their content types."""

    JSON = "application/json-patch+json"
    MERGE = "application/merge-patch+json"
    STRATEGIC = "application/strategic-merge-patch+json"
    APPLY = "application/apply-patch+yaml"


PropagationPolicy = Literal["Background", "Foreground", "Orphan"]
FieldValidation = Literal["Strict", "Warn", "Ignore"]
"""The `fieldValidation` of a write: unknown (or duplicate) fields fail it with 400 (`Strict`, what
`kubectl --validate=true` sends), come back as `Warning` headers (`Warn`) or are dropped (`Ignore`).
None sends no parameter: the server's default (`Warn` since Kubernetes 1.27)."""
WatchEventType = Literal["ADDED", "MODIFIED", "DELETED", "BOOKMARK"]
ChangeType = Literal["ADDED", "MODIFIED", "DELETED"]


@dataclass(frozen=True, slots=True)
class ServerVersion:
    major: str
    minor: str
    git_version: str
    platform: str = ""

    def __str__(self) -> str:
        return self.git_version or f"v{self.major}.{self.minor}"


@dataclass(frozen=True, slots=True)
class ObjectList:
    """One page of a list: the items, the list's resourceVersion and the continue token."""

    items: tuple[Manifest, ...]
    resource_version: str
    continue_token: str = ""
    remaining: int | None = None


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: WatchEventType
    object: Manifest

    @property
    def resource_version(self) -> str:
        return str(self.object.get("metadata", {}).get("resourceVersion", ""))


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """A change the live cache saw: `old` is None for ADDED, `new` is None for DELETED."""

    cluster: str
    type: ChangeType
    key: ResourceKey
    old: Manifest | None
    new: Manifest | None
    apps: frozenset[str] = frozenset()
    """The applications tracking the object before or after the change."""


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    """What `argocd_cluster_connection_status` and `cluster list` show."""

    cluster: str
    server: str
    connected: bool
    last_error: str | None
    resources: int
    server_version: str | None
    watched: tuple[GroupKind, ...] = ()


# ---------------------------------------------------------------- protocols


class KubeClient(Protocol):
    """One cluster's API. Methods raise `ApiError` subclasses, `UnknownKind` or `Unreachable`."""

    @property
    def server(self) -> str: ...

    @property
    def default_namespace(self) -> str: ...

    async def server_version(self) -> ServerVersion: ...

    async def resources(self) -> Sequence[ResourceInfo]:
        """Every served resource of every version from `/api` and `/apis`, preferred versions first."""
        ...

    async def resource_for(self, what: GroupVersionKind | GroupKind) -> ResourceInfo:
        """The REST mapping of a kind (a GroupKind maps to its preferred version)."""
        ...

    async def get(
        self, gvk: GroupVersionKind, name: str, namespace: str | None = None, *, subresource: str = ""
    ) -> Manifest: ...

    async def list(
        self,
        gvk: GroupVersionKind,
        namespace: str | None = None,
        *,
        label_selector: str = "",
        field_selector: str = "",
        page_size: int = 500,
    ) -> ObjectList:
        """All items (paging with `page_size`); `namespace=None` lists every namespace."""
        ...

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
    ) -> ObjectList: ...

    async def create(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest: ...

    async def replace(
        self,
        obj: Manifest,
        *,
        field_manager: str = "",
        dry_run: bool = False,
        subresource: str = "",
        field_validation: FieldValidation | None = None,
    ) -> Manifest: ...

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
        """The deleted object (or the Status the server returned, e.g. while finalizers run)."""
        ...

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
    ) -> Manifest: ...

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
        """Server-side apply; conflicts raise `Conflict` with `field_conflicts`."""
        ...

    async def patch_status(
        self,
        gvk: GroupVersionKind,
        name: str,
        patch: Any,
        namespace: str | None = None,
        *,
        patch_type: PatchType = PatchType.MERGE,
        field_manager: str = "",
    ) -> Manifest: ...

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
        """One watch request's events until the server ends it; an expired `resource_version`
        raises `Gone` (list again, then watch from the list's resourceVersion)."""
        ...

    async def close(self) -> None: ...


ChangeHandler = Callable[[ChangeEvent], None]


class ChangeSubscription(Protocol):
    """The changes the cache saw since `subscribe()`, in order; `close()` ends the iteration."""

    def __aiter__(self) -> AsyncIterator[ChangeEvent]: ...

    def close(self) -> None: ...


class LiveCache(Protocol):
    """Watch-fed copy of one cluster's objects of the kinds in use."""

    @property
    def cluster(self) -> str: ...

    def get(self, key: ResourceKey) -> Manifest | None: ...

    def objects(self, kind: GroupKind | None = None) -> Sequence[Manifest]: ...

    def objects_of_app(self, app: str) -> Sequence[Manifest]:
        """The objects whose tracking annotation (or label) names application `app`."""
        ...

    def owned_by(self, uid: str) -> Sequence[Manifest]:
        """The objects with an ownerReference to `uid`."""
        ...

    async def ensure_watched(self, what: GroupVersionKind | GroupKind) -> None:
        """Start listing and watching a kind (once); returns when its first list is cached."""
        ...

    def is_namespaced(self, kind: GroupKind) -> bool | None: ...

    def add_handler(self, handler: ChangeHandler) -> Callable[[], None]:
        """Call `handler` on every change (from the cache's task); returns the remover."""
        ...

    def subscribe(self) -> ChangeSubscription: ...

    def status(self) -> ConnectionStatus: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
