"""One reconcile of one ApplicationSet, written against the ports (the hub's KubeClient, Git):

    read Git trees → generate → validate → rollout (RollingSync) → plan writes → write → status

Any error before the writes (a bad spec or template, duplicate names, an unknown cluster or
project, an unreadable repository) becomes the `ErrorOccurred` condition and nothing is created,
updated or deleted. Generated Applications are owned by the ApplicationSet (ownerReference with
`controller` and `blockOwnerDeletion`): deleting the ApplicationSet lets Kubernetes' garbage
collector delete them."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fleetops.core import appset as appsets
from fleetops.core.app.kinds import APPLICATION, APPLICATIONSET
from fleetops.core.appset import ownership, progressive, validation
from fleetops.core.source import SourceError, SourceTree, redact_url
from fleetops.engine.environment import rfc3339, utc_now
from fleetops.engine.events import EventRecorder, EventType
from fleetops.model import manifest
from fleetops.model.manifest import Manifest
from fleetops.ports.git import GitSource
from fleetops.ports.kube import AlreadyExists, Conflict, KubeClient, KubeError, NotFound

log = logging.getLogger(__name__)

FIELD_MANAGER = "argocd-applicationset-controller"
DEFAULT_GIT_REQUEUE = 180.0
"""Argo CD's default `requeueAfterSeconds` for the git generators."""
ERROR_REQUEUE = 180.0
"""Argo CD's `ReconcileRequeueOnValidationError`."""


@dataclass
class AppSetEnvironment:
    hub: KubeClient
    git: GitSource
    namespace: str = "fleetops"
    """The control-plane namespace (where AppProjects live)."""
    include_in_cluster: bool = True
    """Whether the hub itself (`in-cluster`) is a destination."""
    clock: Callable[[], datetime.datetime] = utc_now
    events: EventRecorder | None = None
    """Records Events on the ApplicationSet (None: no Events)."""

    def now(self) -> str:
        return rfc3339(self.clock())


@dataclass(frozen=True)
class AppSetView:
    """What the controller's caches hold for this reconcile."""

    applications: Sequence[Manifest] = ()
    """The Applications in the ApplicationSet's namespace."""
    cluster_secrets: Sequence[Manifest] = ()
    projects: Sequence[str] | None = None
    """AppProject names (None: do not check projects)."""


@dataclass(frozen=True)
class AppSetResult:
    status: Mapping[str, Any]
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    synced: tuple[str, ...] = ()
    """Applications the rollout asked to sync."""
    error: str = ""
    requeue_after: float | None = None
    git_repos: tuple[str, ...] = field(default=())


class _Failed(Exception):
    def __init__(self, reason: str, message: str, *, parameters_generated: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.parameters_generated = parameters_generated


async def reconcile_appset(
    appset: Manifest,
    env: AppSetEnvironment,
    view: AppSetView,
    *,
    refresh: bool = False,
    refresh_since: float | None = None,
) -> AppSetResult:
    """Reconcile `appset` once; `refresh` fetches the git generators' repositories first — a
    fetch that began at or after `refresh_since` (`time.monotonic()` of the refresh request),
    so a push announced by a webhook is not missed by joining a fetch that began before it.

    `AlreadyExists` / `Conflict` (the view was older than the API server) are raised for the
    caller to retry; other failures end up in the ApplicationSet's conditions."""
    return await _Reconcile(appset, env, view, refresh, refresh_since).run()


class _Reconcile:
    def __init__(
        self,
        appset: Manifest,
        env: AppSetEnvironment,
        view: AppSetView,
        refresh: bool,
        refresh_since: float | None = None,
    ) -> None:
        self.appset = appset
        self.env = env
        self.view = view
        self.refresh = refresh
        self.refresh_since = refresh_since
        self.spec: Mapping[str, Any] = appset.get("spec") or {}
        self.now = env.now()
        self.previous: Mapping[str, Any] = appset.get("status") or {}
        self.uid = str(appset.get("metadata", {}).get("uid", ""))
        self.desired_names: set[str] = set()
        self.repos = tuple(sorted({url for url, _ in _git_generators(self.spec.get("generators"))}))

    def owned(self) -> list[Manifest]:
        return [a for a in self.view.applications if ownership.controller_uid(a) == self.uid]

    async def run(self) -> AppSetResult:
        try:
            steps = self.check_spec()
            inputs = await self.read_inputs()
            desired = self.generate(inputs)
            self.desired_names = {manifest.name(app) for app in desired}
            self.validate(desired)
            plan, operations = self.rollout(desired, steps)
            changes = self.plan_writes(desired, operations)
        except _Failed as failure:
            return await self.fail(failure)
        try:
            created, updated, deleted = await self.write(changes)
        except (AlreadyExists, Conflict):
            raise  # the cache was behind the API server: the controller retries with backoff
        except KubeError as error:
            return await self.fail(_Failed("UpdateApplicationError", f"writing Applications: {error}"))
        status = self.status(plan)
        await self.write_status(status)
        return AppSetResult(
            status=status,
            created=created,
            updated=updated,
            deleted=deleted,
            synced=plan.sync if plan is not None else (),
            requeue_after=self.requeue_after(),
            git_repos=self.repos,
        )

    # -- stages --------------------------------------------------------------------------------

    def check_spec(self) -> tuple[progressive.Step, ...] | None:
        try:
            ownership.sync_policy(self.spec)
            return progressive.rolling_sync_steps(self.spec)
        except appsets.AppSetError as error:
            raise _Failed("ApplicationValidationError", str(error)) from error

    async def read_inputs(self) -> appsets.GenerationInputs:
        """Resolve every git generator's revision (fetching first on refresh) to a commit."""
        trees: dict[tuple[str, str], SourceTree] = {}
        fetched: set[str] = set()
        for url, revision in _git_generators(self.spec.get("generators")):
            try:
                if self.refresh and url not in fetched:
                    await self.env.git.fetch(url, since=self.refresh_since)
                    fetched.add(url)
                sha = await self.env.git.resolve(url, "" if revision == "HEAD" else revision)
                trees[(url, revision)] = self.env.git.tree(url, sha)
            except (SourceError, OSError) as error:
                raise _Failed(
                    "ApplicationGenerationFromParamsError",
                    f"git generator: cannot read revision {revision!r} of {redact_url(url)}: {error}",
                ) from error
        return appsets.GenerationInputs(
            cluster_secrets=list(self.view.cluster_secrets),
            include_in_cluster=self.env.include_in_cluster,
            repo=_ResolvedTrees(trees) if trees else None,
        )

    def generate(self, inputs: appsets.GenerationInputs) -> list[dict[str, Any]]:
        try:
            return appsets.generate(self.appset, inputs)
        except appsets.TemplateError as error:
            raise _Failed("RenderTemplateParamsError", str(error)) from error
        except (appsets.AppSetError, OSError) as error:
            raise _Failed("ApplicationGenerationFromParamsError", str(error)) from error

    def validate(self, desired: list[dict[str, Any]]) -> None:
        clusters = validation.known_clusters(
            self.view.cluster_secrets, include_in_cluster=self.env.include_in_cluster
        )
        errors = validation.validate_applications(desired, clusters, projects=self.view.projects)
        if errors:
            raise _Failed("ApplicationValidationError", "; ".join(errors), parameters_generated=True)

    def rollout(
        self, desired: list[dict[str, Any]], steps: tuple[progressive.Step, ...] | None
    ) -> tuple[progressive.RolloutPlan | None, dict[str, dict[str, Any]]]:
        """RollingSync: the ApplicationSet syncs its Applications itself, step by step, so their
        automated sync is turned off (as Argo CD does); `prune` comes from the template's."""
        if steps is None:
            return None, {}
        prune: dict[str, bool] = {}
        for app in desired:
            policy = app.get("spec", {}).get("syncPolicy")
            if isinstance(policy, dict) and "automated" in policy:
                automated = policy.pop("automated")
                prune[app["metadata"]["name"]] = bool(
                    isinstance(automated, Mapping) and automated.get("prune")
                )
        live = {manifest.name(a): a for a in self.owned()}
        states = [  # an Application not created yet is Waiting; labels are the generated ones
            dataclasses.replace(
                progressive.app_state(live.get(manifest.name(app), app)),
                labels=dict(app["metadata"].get("labels") or {}),
            )
            for app in desired
        ]
        plan = progressive.plan_rollout(
            steps,
            states,
            list(self.previous.get("applicationStatus") or []),
            now=self.now,
            paused=progressive.is_paused(self.appset),
            previous_summary=self.previous.get("rollout"),
        )
        operations = {name: progressive.sync_operation(prune=prune.get(name, False)) for name in plan.sync}
        return plan, operations

    def plan_writes(
        self, desired: list[dict[str, Any]], operations: Mapping[str, Mapping[str, Any]]
    ) -> ownership.AppChanges:
        try:
            return ownership.plan_changes(self.appset, desired, self.view.applications, operations=operations)
        except appsets.AppSetError as error:
            raise _Failed("CreateApplicationError", str(error), parameters_generated=True) from error

    async def write(
        self, changes: ownership.AppChanges
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        for app in changes.create:
            await self.env.hub.create(app, field_manager=FIELD_MANAGER)
            await self.event("Normal", "created", f"created Application {_quote(manifest.name(app))}")
        for app in changes.update:
            await self.env.hub.replace(app, field_manager=FIELD_MANAGER)
            await self.event("Normal", "updated", f"updated Application {_quote(manifest.name(app))}")
        clusters = validation.known_clusters(
            self.view.cluster_secrets, include_in_cluster=self.env.include_in_cluster
        )
        preserve = ownership.preserve_resources(self.spec)
        for gone in changes.delete:
            await self._delete(
                gone, keep_resources=preserve or not validation.destination_known(gone, clusters)
            )
            await self.event("Normal", "Deleted", f"Deleted Application {_quote(manifest.name(gone))}")
        return (
            tuple(manifest.name(a) for a in changes.create),
            tuple(manifest.name(a) for a in changes.update),
            tuple(manifest.name(a) for a in changes.delete),
        )

    async def _delete(self, app: Mapping[str, Any], *, keep_resources: bool) -> None:
        """Delete a generated Application; with preserveResourcesOnDeletion (or a destination
        that no longer exists) its resources finalizer goes first, so its resources stay."""
        name, namespace = manifest.name(app), manifest.namespace(app)
        finalizers = list(app.get("metadata", {}).get("finalizers") or [])
        kept = [f for f in finalizers if not f.startswith(ownership.RESOURCES_FINALIZER)]
        try:
            if keep_resources and kept != finalizers:
                await self.env.hub.patch(
                    APPLICATION, name, {"metadata": {"finalizers": kept or None}}, namespace,
                    field_manager=FIELD_MANAGER,
                )  # fmt: skip
            await self.env.hub.delete(APPLICATION, name, namespace)
        except NotFound:
            pass

    def status(self, plan: progressive.RolloutPlan | None) -> dict[str, Any]:
        wanted = self.desired_names
        status: dict[str, Any] = {
            "conditions": ownership.appset_conditions(
                list(self.previous.get("conditions") or []),
                now=self.now,
                rollout=plan.condition() if plan is not None else None,
            ),
            "resources": ownership.resource_entries(a for a in self.owned() if manifest.name(a) in wanted),
            "applicationStatus": plan.application_status if plan is not None else None,
            "rollout": plan.summary() if plan is not None else None,
        }
        return status

    async def write_status(self, status: Mapping[str, Any]) -> None:
        current = {k: self.previous.get(k) for k in status}
        if current == dict(status):
            return
        with contextlib.suppress(NotFound):
            await self.env.hub.patch_status(
                APPLICATIONSET, manifest.name(self.appset), {"status": dict(status)},
                manifest.namespace(self.appset), field_manager=FIELD_MANAGER,
            )  # fmt: skip

    async def event(self, type: EventType, reason: str, message: str) -> None:
        if self.env.events is not None:
            await self.env.events.record(self.appset, type, reason, message)

    async def fail(self, failure: _Failed) -> AppSetResult:
        log.info("ApplicationSet %s: %s", manifest.name(self.appset), failure.message)
        if not _same_error(self.previous, failure):  # one Warning per new error, not per retry
            await self.event("Warning", failure.reason, failure.message)
        status = {
            "conditions": ownership.error_conditions(
                list(self.previous.get("conditions") or []),
                failure.reason,
                failure.message,
                now=self.now,
                parameters_generated=failure.parameters_generated,
            )
        }
        try:
            await self.write_status(status)
        except KubeError as error:
            log.warning("cannot write the status of ApplicationSet %s: %s", manifest.name(self.appset), error)
        return AppSetResult(
            status=status, error=failure.message, requeue_after=ERROR_REQUEUE, git_repos=self.repos
        )

    def requeue_after(self) -> float | None:
        """The git generators' `requeueAfterSeconds` (default 180 s); None without git generators."""
        delays = [
            float(spec.get("requeueAfterSeconds") or DEFAULT_GIT_REQUEUE)
            for spec in _git_specs(self.spec.get("generators"))
        ]
        return min(delays) if delays else None


def _quote(name: str) -> str:
    """Go's `%q` for a Kubernetes name (Argo CD's `created Application "x"`)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _same_error(previous: Mapping[str, Any], failure: _Failed) -> bool:
    """Whether the ApplicationSet's ErrorOccurred condition already reports this failure."""
    for condition in previous.get("conditions") or []:
        if isinstance(condition, Mapping) and condition.get("type") == "ErrorOccurred":
            return (
                condition.get("status") == "True"
                and condition.get("reason") == failure.reason
                and condition.get("message") == failure.message
            )
    return False


# -- git generators --------------------------------------------------------------------------


def _git_specs(generators: Any) -> Iterator[Mapping[str, Any]]:
    """Every git generator's spec, matrix and merge children included."""
    for generator in generators if isinstance(generators, list) else []:
        if not isinstance(generator, Mapping):
            continue
        for kind, spec in generator.items():
            if not isinstance(spec, Mapping):
                continue
            if kind == "git":
                yield spec
            elif kind in ("matrix", "merge"):
                yield from _git_specs(spec.get("generators"))


def _git_generators(generators: Any) -> list[tuple[str, str]]:
    found = []
    for spec in _git_specs(generators):
        url = str(spec.get("repoURL") or "")
        revision = str(spec.get("revision") or "HEAD")
        if url and "{{" not in url and (url, revision) not in found:
            found.append((url, revision))
    return found


class _TreeError(appsets.GeneratorError):
    """A git generator names a repository/revision that was not read before generation."""


class _ResolvedTrees:
    """The core's `RepoTree` over trees already resolved to commits."""

    def __init__(self, trees: Mapping[tuple[str, str], SourceTree]) -> None:
        self._trees = dict(trees)
        self._listings: dict[tuple[str, str], tuple[list[str], list[str]]] = {}

    def _tree(self, repo_url: str, revision: str) -> SourceTree:
        tree = self._trees.get((repo_url, revision or "HEAD"))
        if tree is None:
            raise _TreeError(f"git generator: {redact_url(repo_url)} at {revision!r} was not read")
        return tree

    def _listing(self, repo_url: str, revision: str) -> tuple[list[str], list[str]]:
        key = (repo_url, revision or "HEAD")
        if key not in self._listings:
            tree = self._tree(repo_url, revision)
            directories: list[str] = []
            files: list[str] = []
            pending = [""]
            while pending:
                directory = pending.pop()
                for entry in tree.list_dir("/" + directory):
                    path = f"{directory}/{entry}" if directory else entry
                    if tree.is_dir("/" + path):
                        directories.append(path)
                        pending.append(path)
                    elif tree.is_file("/" + path):
                        files.append(path)
            self._listings[key] = (sorted(directories), sorted(files))
        return self._listings[key]

    def directories(self, repo_url: str, revision: str) -> Sequence[str]:
        return self._listing(repo_url, revision)[0]

    def files(self, repo_url: str, revision: str) -> Sequence[str]:
        return self._listing(repo_url, revision)[1]

    def read(self, repo_url: str, revision: str, path: str) -> bytes:
        return self._tree(repo_url, revision).read_bytes("/" + path)
