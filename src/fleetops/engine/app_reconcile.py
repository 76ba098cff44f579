"""One reconcile of one Application, as named stages (ARCHITECTURE.md §2):

    resolve revision → render → desired → live → diff → decide → sync → health → status

Each stage is a method with a narrow input and a data result. A stage that cannot go on raises
`StageError` with the condition it gives the application (ComparisonError, SyncError, ...);
nothing is applied or pruned after such an error. Status is written once, at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from collections.abc import Mapping
from typing import Any

from fleetops.core import app as applications
from fleetops.core import health as healths
from fleetops.core import project as projects
from fleetops.core import sync
from fleetops.core.app import ConditionType
from fleetops.core.app.kinds import APPLICATION
from fleetops.core.diff import TAKEOVER_MANAGERS, ComparisonResult, IgnoreRules, compare_app
from fleetops.core.diff.compare import SyncStatus, resource_key
from fleetops.core.patch import create_merge_patch
from fleetops.core.schema import KubeSchema, SchemaNode
from fleetops.core.schema.unknown_fields import prune_unknown
from fleetops.core.source import SourceError, redact_url
from fleetops.core.sync import SyncState
from fleetops.core.sync.options import validates
from fleetops.engine import decide as deciding
from fleetops.engine import status_stage
from fleetops.engine.changeset import ChangeSet
from fleetops.engine.desired import desired_objects
from fleetops.engine.environment import AppEnvironment, ClusterConnection, DestinationError
from fleetops.engine.live import kinds_of, live_objects, watch_kinds
from fleetops.engine.render_stage import Rendered, RenderError, render
from fleetops.engine.sync_runner import SyncRunner
from fleetops.model import manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import Invalid, KubeError, PatchType, UnknownKind

log = logging.getLogger(__name__)

EVALUATED = (
    ConditionType.COMPARISON_ERROR,
    ConditionType.SYNC_ERROR,
    ConditionType.INVALID_SPEC_ERROR,
    ConditionType.UNSUPPORTED_FIELD,
)
CACHE_CATCH_UP = 10.0
"""How long, after a sync, the status waits for the watch cache to show what the sync wrote."""
ONGOING_ERROR_REQUEUE = 10.0
"""When a reconcile cannot go on (render, cluster...) while an operation is in progress: look again
after this many seconds (the operation stays Running meanwhile)."""


class StageError(Exception):
    def __init__(self, condition_type: ConditionType, message: str) -> None:
        super().__init__(message)
        self.condition_type = condition_type
        self.message = message


@dataclasses.dataclass
class ReconcileResult:
    app: Manifest
    sync_status: str
    health_status: str
    changes: ChangeSet
    requeue_after: float | None = None
    sync_phase: str | None = None
    destination_server: str = ""
    conditions: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    render_cached: bool = False


async def reconcile_app(
    app: Manifest,
    env: AppEnvironment,
    *,
    project: Manifest | None = None,
    refresh: bool = False,
    refresh_since: float | None = None,
) -> ReconcileResult:
    """Reconcile `app` once; `project` is its AppProject (None: none exists); `refresh` fetches
    the repository first (poll or webhook): a fetch that started at or after `refresh_since`
    (`time.monotonic()` of the refresh request; None: now), so a push announced by a webhook is
    never missed by joining a fetch that began before it, and one fetch serves every
    application refreshed by the same webhook.

    An operation in progress (`status.operationState` Running) is taken up from the application
    as the API server has it now, not from a possibly stale copy: an operation must never run a
    step twice because a cache had not yet seen how far it got."""
    if deciding.ongoing_operation(app) is not None:
        with contextlib.suppress(KubeError):
            app = await env.hub.get(APPLICATION, manifest.name(app), manifest.namespace(app))
    return await AppReconcile(app, env, project=project, refresh=refresh, refresh_since=refresh_since).run()


class AppReconcile:
    def __init__(
        self,
        app: Manifest,
        env: AppEnvironment,
        *,
        project: Manifest | None,
        refresh: bool,
        refresh_since: float | None = None,
    ) -> None:
        self.app = app
        self.env = env
        self.project = project
        self.refresh = refresh
        self.refresh_since = refresh_since
        self.name, self.namespace = manifest.name(app), manifest.namespace(app)
        self.instance = sync.instance_name(self.name, self.namespace, env.namespace)
        self.source = applications.primary_source(app) or {}
        self.destination = applications.destination(app)
        self.now = env.now()
        self.conditions: list[dict[str, Any]] = []
        self.status: dict[str, Any] = {}
        self.changes = ChangeSet()
        self.result = ReconcileResult(app, "Unknown", "Unknown", self.changes)
        self.previous_status = applications.fields.mapping(app.get("status"))
        self.revision = ""
        self.blocked = ""
        self.clear_operation = False
        self.comparison = ComparisonResult((), "Unknown")
        self.ongoing = deciding.ongoing_operation(app)

    # -- the reconcile, stage by stage -------------------------------------------------------

    async def run(self) -> ReconcileResult:
        try:
            policy = self.check_spec()
            revision = await self.resolve_revision()
            rendered = await self.render(revision)
            cluster = await self.connect()
            desired = self.desired(rendered, cluster)
            live = await self.live(cluster, desired)
            comparison = self.diff(desired, live, policy)
            self.check_project(desired, cluster)
            decision = self.decide(policy, comparison, revision)
            if self.ongoing is not None and (self.ongoing.withdrawn or self.ongoing.terminating):
                await self.release_hooks(self.ongoing, cluster)
            if decision.request is not None:
                live, comparison = await self.sync(decision.request, policy, revision, desired, live, cluster)
            self.health(desired, live, comparison, rendered)
        except StageError as error:
            self.fail(error)
        await self.write_status()
        return self.result

    def check_spec(self) -> applications.SyncPolicy:
        self.conditions += applications.unsupported_conditions(self.app, now=self.now)
        invalid = applications.spec_conditions(self.app, now=self.now)
        if invalid:
            self.conditions += invalid
            raise _Stopped()
        try:
            return applications.sync_policy(self.app)
        except applications.SpecError as error:
            raise StageError(ConditionType.INVALID_SPEC_ERROR, str(error)) from error

    async def resolve_revision(self) -> str:
        repo = applications.repo_url(self.source)
        wanted = self.requested_revision()
        try:
            if self.refresh:
                await self.env.git.fetch(repo, since=self.refresh_since)
            return await self.env.git.resolve(repo, wanted)
        except SourceError as error:
            raise StageError(
                ConditionType.COMPARISON_ERROR,
                f"Failed to load target state: failed to resolve revision {wanted!r} of "
                f"{redact_url(repo)}: {error}",
            ) from error

    def requested_revision(self) -> str:
        if self.ongoing is not None and self.ongoing.revision:
            return self.ongoing.revision  # an operation in progress keeps to its revision
        explicit = deciding.explicit_request(self.app)  # None once the operation has finished
        if explicit is not None and explicit.operation.get("sync", {}).get("revision"):
            return str(explicit.operation["sync"]["revision"])
        return applications.target_revision(self.source)

    async def render(self, revision: str) -> Rendered:
        repo = applications.repo_url(self.source)
        remote_bases = self.env.remote_bases
        try:
            tree = self.env.git.tree(repo, revision)
            run = functools.partial(
                render,
                self.source,
                tree,
                cache=self.env.render_cache,
                cache_key=f"{self.namespace}/{self.name}",
                commit=revision,
                remote_bases=remote_bases,
            )
            # Fetching remote bases blocks: then the render runs in a worker thread.
            rendered = run() if remote_bases is None else await asyncio.to_thread(run)
        except (RenderError, SourceError, PermissionError) as error:
            raise StageError(
                ConditionType.COMPARISON_ERROR, f"Failed to load target state: {revision[:7]}: {error}"
            ) from error
        self.status["sourceType"] = str(rendered.source_type)
        self.result.render_cached = rendered.cached
        self.revision = revision
        return rendered

    async def connect(self) -> ClusterConnection:
        try:
            cluster = await self.env.clusters.connect(self.destination)
        except (DestinationError, KubeError) as error:
            raise StageError(
                ConditionType.COMPARISON_ERROR, f"Failed to connect to the destination cluster: {error}"
            ) from error
        self.result.destination_server = cluster.server
        return cluster

    def desired(self, rendered: Rendered, cluster: ClusterConnection) -> list[Manifest]:
        def is_namespaced(kind: Any) -> bool | None:
            known = self.env.schema.is_namespaced(kind)
            return known if known is not None else cluster.cache.is_namespaced(kind)

        return desired_objects(
            rendered.manifests,
            instance=self.instance,
            namespace=self.destination.namespace,
            is_namespaced=is_namespaced,
        )

    async def live(self, cluster: ClusterConnection, desired: list[Manifest]) -> dict[ResourceKey, Manifest]:
        previous = kinds_of([], applications.fields.sequence(self.previous_status.get("resources")))
        try:
            await watch_kinds(cluster.cache, desired, previous)
        except UnknownKind as error:
            raise StageError(ConditionType.COMPARISON_ERROR, f"Failed to load live state: {error}") from error
        except KubeError as error:
            raise StageError(
                ConditionType.COMPARISON_ERROR, f"Failed to load live state from {cluster.server}: {error}"
            ) from error
        return live_objects(cluster.cache, self.instance, desired)

    def diff(
        self, desired: list[Manifest], live: Mapping[ResourceKey, Manifest], policy: applications.SyncPolicy
    ) -> ComparisonResult:
        try:
            ignore = IgnoreRules.from_application(applications.ignore_differences(self.app))
        except ValueError as error:
            raise StageError(ConditionType.COMPARISON_ERROR, f"ignoreDifferences: {error}") from error
        compared, unknown = _as_stored(desired, self.env.schema, policy.options)
        comparison = compare_app(
            compared,
            live,
            schema=self.env.schema,
            ignore=ignore,
            respect_ignore=policy.options.respect_ignore_differences,
            namespace=self.destination.namespace,
            takeover=TAKEOVER_MANAGERS,
        )
        if unknown:
            comparison = _refused_as_out_of_sync(
                comparison, unknown, self.env.schema, self.destination.namespace
            )
        self.comparison = comparison
        for item in comparison.errors():
            self.conditions.append(
                applications.condition(ConditionType.COMPARISON_ERROR, item.error or "", now=self.now)
            )
        self.status["sync"] = applications.sync_status(
            comparison.sync_status, compared_to=applications.compared_to(self.app), revision=self.revision
        )
        return comparison

    def check_project(self, desired: list[Manifest], cluster: ClusterConnection) -> None:
        violations = projects.check(
            self.app,
            self.project,
            desired,
            control_plane_namespace=self.env.namespace,
            cluster=projects.ClusterRef(cluster.server, cluster.name),
        )
        if violations:
            self.conditions += projects.violation_conditions(violations, now=self.now)
            self.blocked = "; ".join(v.message for v in violations)

    def decide(
        self, policy: applications.SyncPolicy, comparison: ComparisonResult, revision: str
    ) -> deciding.Decision:
        ongoing = self.ongoing
        if ongoing is not None:
            if ongoing.withdrawn or ongoing.terminating:
                self.end_ongoing(ongoing)
                return deciding.Decision(None, "Operation terminated")
            if ongoing.retry_at is not None:
                wait = (ongoing.retry_at - self.env.clock()).total_seconds()
                if wait > 0:
                    self.result.requeue_after = wait
                    return deciding.Decision(None, f"retrying in {wait:g}s")
                return deciding.Decision(ongoing.request, f"Retrying attempt #{ongoing.retry_count}")
            return deciding.Decision(ongoing.request, ongoing.request.message)
        decision = deciding.decide(
            self.app,
            policy=policy,
            comparison=comparison,
            revision=revision,
            now=self.env.clock(),
            self_heal_backoff=self.env.self_heal_backoff,
        )
        if decision.finished_operation:
            self.clear_operation = True
        if decision.error:
            self.conditions.append(
                applications.condition(ConditionType.SYNC_ERROR, decision.error, now=self.now)
            )
        if decision.retry_after is not None:
            self.result.requeue_after = decision.retry_after
        return decision

    async def sync(  # noqa: PLR0917
        self,
        request: deciding.SyncRequest,
        policy: applications.SyncPolicy,
        revision: str,
        desired: list[Manifest],
        live: dict[ResourceKey, Manifest],
        cluster: ClusterConnection,
    ) -> tuple[dict[ResourceKey, Manifest], ComparisonResult]:
        ongoing = self.ongoing if self.ongoing is not None and self.ongoing.request is request else None
        started_at = ongoing.started_at if ongoing is not None and ongoing.started_at else self.now
        attempt = ongoing.retry_count if ongoing is not None else 0
        resuming = ongoing is not None and ongoing.retry_at is None  # a retry starts afresh
        refusal = self.refusal(request, policy, desired)
        if refusal:
            self.finish_operation(request, None, "Failed", refusal, started_at, revision, desired, attempt)
            self.conditions.append(applications.condition(ConditionType.SYNC_ERROR, refusal, now=self.now))
            return live, self.comparison
        options = sync.parse_sync_options(list(request.sync_options) or list(policy.sync_options))
        desired = _as_written(desired, self.env.schema, options)
        metadata = policy.managed_namespace_metadata
        try:
            plan = sync.plan_sync(
                desired,
                live,
                options=options,
                out_of_sync={r.key for r in self.comparison.out_of_sync()},
                prune=request.prune,
                resources=request.resources,
                namespace=self.destination.namespace,
                managed_namespace_metadata=(
                    {"labels": dict(metadata.labels), "annotations": dict(metadata.annotations)}
                    if metadata is not None
                    else None
                ),
                revision=revision,
                sync_id=sync_id(started_at),
                app=self.instance,
            )
        except (sync.SyncPlanError, sync.SyncOptionError) as error:
            message = f"ComparisonError: {error}"
            self.finish_operation(request, None, "Error", message, started_at, revision, desired, attempt)
            self.conditions.append(applications.condition(ConditionType.SYNC_ERROR, str(error), now=self.now))
            return live, self.comparison
        runner = SyncRunner(
            cluster.client,
            cluster.cache,
            timeout=self.env.sync_wait,
            poll=self.env.health_poll,
            validate=options.validate,
        )
        if resuming and ongoing is not None:
            state = sync.resume(plan, ongoing.results)
        else:
            await self.env.events.record(self.app, "Normal", "OperationStarted", request.message)
            state = await runner.dry_run(plan)
        if not state.done:
            state = await runner.run(state)
        self.changes.entries += runner.changes.entries
        if not state.done and self.timed_out(request, started_at, attempt):
            waited = state.message
            await runner.release_hooks(state)
            state.terminate(f"sync timed out after {self.env.sync_timeout:g}s: {waited}")
        if not state.done:
            self.finish_operation(
                request, state, "Running", state.message, started_at, revision, desired, attempt
            )
            self.result.sync_phase = "Running"
            self.result.requeue_after = self.env.sync_requeue
            await self.catch_up(cluster, runner.changes)
            live = live_objects(cluster.cache, self.instance, desired)
            return live, self.diff(desired, live, policy)
        phase = str(state.phase)
        if phase != "Succeeded" and request.retry is not None and sync.should_retry(request.retry, attempt):
            delay = sync.retry_delay(attempt, request.retry.backoff)
            self.result.requeue_after = delay
            message = f"Retrying attempt #{attempt + 1} at {delay:g}s: {state.message}"
            self.finish_operation(
                request, state, "Running", message, started_at, revision, desired, attempt + 1, retrying=True
            )
        else:
            self.finish_operation(
                request, state, phase, state.message, started_at, revision, desired, attempt
            )
            if phase == "Succeeded":
                self.record_history(request, revision, started_at)
        self.result.sync_phase = phase
        outcome = "succeeded" if phase == "Succeeded" else f"failed: {state.message}"
        await self.env.events.record(
            self.app,
            "Normal" if phase == "Succeeded" else "Warning",
            "OperationCompleted",
            f"Sync operation to {revision} {outcome}",
        )
        if phase not in ("Succeeded", "Running"):
            self.conditions.append(
                applications.condition(
                    ConditionType.SYNC_ERROR, f"Sync failed: {state.message}", now=self.now
                )
            )
        await self.catch_up(cluster, runner.changes)
        live = live_objects(cluster.cache, self.instance, desired)
        comparison = self.diff(desired, live, policy)
        return live, comparison

    def timed_out(self, request: deciding.SyncRequest, started_at: str, attempt: int) -> bool:
        """Has the operation run longer than `sync_timeout` per attempt (counted from its
        `startedAt`, as Argo CD's `--sync-timeout`, plus the retry backoffs it waited)?"""
        started = deciding.parse_time(started_at)
        if started is None:
            return False
        budget = self.env.sync_timeout * (attempt + 1)
        if request.retry is not None:
            budget += sum(sync.retry_delay(n, request.retry.backoff) for n in range(attempt))
        return (self.env.clock() - started).total_seconds() > budget

    async def release_hooks(self, ongoing: deciding.Ongoing, cluster: ClusterConnection) -> None:
        """The hooks a terminated operation left running lose their hook finalizer."""
        runner = SyncRunner(cluster.client, cluster.cache, timeout=0.0, poll=self.env.health_poll)
        for result in ongoing.results:
            if result.hook_type is not None and result.hook_phase is sync.OperationPhase.RUNNING:
                await runner.release_hook(result.key)

    def end_ongoing(self, ongoing: deciding.Ongoing) -> None:
        """The operation in progress was withdrawn (its `operation` removed) or terminated: it
        ends as Failed, keeping what it recorded."""
        previous = applications.fields.mapping(self.previous_status.get("operationState"))
        self.status["operationState"] = {
            **previous,
            "phase": "Failed",
            "message": "Operation terminated",
            "finishedAt": self.now,
        }
        self.result.sync_phase = "Failed"
        self.clear_operation = True

    def refusal(
        self, request: deciding.SyncRequest, policy: applications.SyncPolicy, desired: list[Manifest]
    ) -> str:
        """Why this sync must not write anything ("" when it may)."""
        if self.blocked:
            return f"Sync refused by the project: {self.blocked}"
        allow_empty = policy.automated is not None and policy.automated.allow_empty
        if not desired and not allow_empty:
            return "Sync refused: the source rendered no resources (set automated.allowEmpty to allow)"
        return ""

    async def catch_up(self, cluster: ClusterConnection, changes: ChangeSet) -> None:
        """Wait (bounded) until the watch cache shows the writes of the sync just run."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CACHE_CATCH_UP
        pending = {entry.key for entry in changes.entries if entry.action.value in ("deleted",)}
        while pending and loop.time() < deadline:
            pending = {key for key in pending if _present(cluster.cache.get(key))}
            if pending:
                await asyncio.sleep(0.05)

    def health(
        self,
        desired: list[Manifest],
        live: Mapping[ResourceKey, Manifest],
        comparison: ComparisonResult,
        rendered: Rendered,
    ) -> None:
        status, per_resource = healths.application_health(desired, live, is_hook=sync.is_hook)
        self.status["health"] = applications.health_status(str(status))
        self.status["resources"] = status_stage.resource_entries(comparison, desired, live, per_resource)
        self.status["summary"] = applications.summary(images=status_stage.images(desired))
        self.result.sync_status = comparison.sync_status
        self.result.health_status = str(status)

    # -- results -----------------------------------------------------------------------------

    def fail(self, error: StageError) -> None:
        if not isinstance(error, _Stopped):
            self.conditions.append(applications.condition(error.condition_type, error.message, now=self.now))
        previous_sync = applications.fields.mapping(self.previous_status.get("sync"))
        self.status["sync"] = {
            **applications.sync_status(
                "Unknown",
                compared_to=applications.compared_to(self.app),
                revision=str(previous_sync.get("revision") or ""),
            )
        }
        previous_health = applications.fields.mapping(self.previous_status.get("health"))
        self.status["health"] = dict(previous_health) or applications.health_status("Unknown")
        self.result.sync_status = "Unknown"
        self.result.health_status = str(self.status["health"].get("status") or "Unknown")
        if self.ongoing is not None and self.result.requeue_after is None:
            self.result.requeue_after = ONGOING_ERROR_REQUEUE

    def finish_operation(  # noqa: PLR0917
        self,
        request: deciding.SyncRequest,
        state: SyncState | None,
        phase: str,
        message: str,
        started_at: str,
        revision: str,
        desired: list[Manifest],
        retry_count: int,
        *,
        retrying: bool = False,
    ) -> None:
        """Record the operation in `status.operationState`: still Running (no `finishedAt`), waiting
        for a retry (Running with the failed attempt's `finishedAt`), or ended."""
        # the operation as requested (Argo CD: `Operation: *app.Operation`); the revision it
        # resolved to is `syncResult.revision`
        self.status["operationState"] = status_stage.operation_state(
            operation=request.operation,
            state=state,
            phase=phase,
            message=message,
            started_at=started_at,
            finished_at=None if phase == "Running" and not retrying else self.now,
            revision=revision,
            source=self.source,
            desired=desired,
            retry_count=retry_count,
        )
        self.clear_operation = phase != "Running"

    def record_history(self, request: deciding.SyncRequest, revision: str, started_at: str) -> None:
        history = applications.fields.sequence(self.previous_status.get("history"))
        entry = applications.history_entry(
            id=applications.next_history_id(history),
            revision=revision,
            deployed_at=self.now,
            deploy_started_at=started_at,
            source=self.source,
            initiated_by={"automated": True} if request.automated else request.operation.get("initiatedBy"),
        )
        self.status["history"] = applications.append_history(
            history, entry, limit=applications.revision_history_limit(self.app)
        )

    async def write_status(self) -> None:
        previous = [
            c
            for c in applications.fields.sequence(self.previous_status.get("conditions"))
            if isinstance(c, Mapping)
        ]
        self.status["conditions"] = applications.set_conditions(
            previous,
            self.conditions,
            evaluated=[*EVALUATED, *(str(c.get("type")) for c in previous)],
            now=self.now,
        )
        self.status["reconciledAt"] = self.now
        self.status["controllerNamespace"] = self.env.namespace
        generation = applications.fields.mapping(self.app.get("metadata")).get("generation")
        if isinstance(generation, int):
            self.status["observedGeneration"] = generation  # see decide.operation_finished
        await self.record_events()
        try:
            new_status = {**self.previous_status, **self.status}
            patch = create_merge_patch(dict(self.previous_status), new_status)
            written = await self.env.hub.patch_status(
                APPLICATION,
                self.name,
                {"status": patch},
                self.namespace,
                patch_type=PatchType.MERGE,
                field_manager="fleetops",
            )
            if self.clear_operation:
                written = await self.remove_operation() or written
            self.result.app = written
        except KubeError as error:
            log.warning("cannot write the status of %s/%s: %s", self.namespace, self.name, error)
            self.result.app = {**self.app, "status": {**self.previous_status, **self.status}}
        self.result.conditions = self.status["conditions"]

    async def remove_operation(self) -> Manifest | None:
        """Remove `operation` only if it is still the one this reconcile ran (or found already
        finished): a JSON patch whose `test` op fails (422) when a newer operation was written in
        the meantime, which is then left in place for the next reconcile to run."""
        operation = self.app.get("operation")
        if operation is None:
            return None
        try:
            return await self.env.hub.patch(
                APPLICATION,
                self.name,
                [
                    {"op": "test", "path": "/operation", "value": operation},
                    {"op": "remove", "path": "/operation"},
                ],
                self.namespace,
                patch_type=PatchType.JSON,
                field_manager="fleetops",
            )
        except Invalid:
            log.info(
                "the operation of %s/%s changed while it ran: the new one is kept", self.namespace, self.name
            )
            return None

    async def record_events(self) -> None:
        before = applications.fields.mapping(self.previous_status.get("sync")).get("status")
        after = self.status.get("sync", {}).get("status")
        if before and after and before != after:
            message = f"Updated sync status: {before} -> {after}"
            if after == "OutOfSync":
                await self.env.events.record(self.app, "Warning", "ResourceUpdated", message)
            else:
                await self.env.events.record(self.app, "Normal", "ResourceUpdated", message)
        old = {(c.get("type"), c.get("message")) for c in self.previous_status.get("conditions") or []}
        for item in self.conditions:
            if str(item["type"]).endswith("Error") and (item["type"], item["message"]) not in old:
                await self.env.events.record(self.app, "Warning", str(item["type"]), str(item["message"]))

    # -- helpers -----------------------------------------------------------------------------

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


class _Stopped(StageError):
    """The spec is invalid: its conditions are already recorded."""

    def __init__(self) -> None:
        super().__init__(ConditionType.INVALID_SPEC_ERROR, "")


def sync_id(started_at: str) -> str:
    """The id in the names of generateName hooks: from the operation's start, so that an operation
    taken up again (or retried) names its hooks as it did before."""
    return started_at.replace(":", "").replace("-", "").lower()[-7:]


def _present(obj: Manifest | None) -> bool:
    return obj is not None and not obj.get("metadata", {}).get("deletionTimestamp")


def _as_stored(
    desired: list[Manifest], schema: KubeSchema, options: sync.SyncOptions
) -> tuple[list[Manifest], list[Manifest]]:
    """The desired objects as the API server would store them: without the fields their schema does
    not declare (dropped with `Validate=false`, `fieldValidation=Ignore`; refused otherwise), and
    the objects with such fields that a strictly validated sync would write (they stay OutOfSync:
    their sync fails, naming the fields)."""
    compared: list[Manifest] = []
    refused: list[Manifest] = []
    for obj in desired:
        node = _schema_node(schema, obj)
        pruned, unknown = prune_unknown(obj, node) if node is not None else (obj, [])
        if not unknown:
            compared.append(obj)
            continue
        compared.append(pruned)
        if validates(options, obj):
            refused.append(obj)
    return compared, refused


def _as_written(desired: list[Manifest], schema: KubeSchema, options: sync.SyncOptions) -> list[Manifest]:
    """The objects a sync writes: with `Validate=false` (app or resource) without the fields their
    schema does not declare. A server-side apply refuses such fields whatever `fieldValidation`
    says (the API server types the applied object first), so "do not validate" can only mean
    what kubectl's `--validate=false` means for create and update: the fields are dropped.
    Validated objects are written as they are, and the server refuses them naming the field."""
    written: list[Manifest] = []
    for obj in desired:
        node = None if validates(options, obj) else _schema_node(schema, obj)
        written.append(prune_unknown(obj, node)[0] if node is not None else obj)
    return written


def _schema_node(schema: KubeSchema, obj: Manifest) -> SchemaNode | None:
    try:
        return schema.node_for(manifest.gvk(obj))
    except (KeyError, ValueError):
        return None


def _refused_as_out_of_sync(
    comparison: ComparisonResult, refused: list[Manifest], schema: KubeSchema, namespace: str
) -> ComparisonResult:
    """`comparison` with the objects a strict sync would refuse (unknown fields) OutOfSync."""
    keys = {resource_key(obj, schema, namespace) for obj in refused}
    resources = tuple(
        dataclasses.replace(r, status="OutOfSync") if r.key in keys and r.status == "Synced" else r
        for r in comparison.resources
    )
    status: SyncStatus = comparison.sync_status
    if status == "Synced" and any(r.status == "OutOfSync" and not r.ignore_extraneous for r in resources):
        status = "OutOfSync"
    return ComparisonResult(resources, status)
