"""The engine: one reconcile of one object, written against the ports only.

Public API::

    reconcile_app(app, env, *, project=None, refresh=False, refresh_since=None) -> ReconcileResult
        stages: resolve revision → render → desired → live → diff → decide → sync → health → status
    ReconcileResult(app, sync_status, health_status, changes: ChangeSet, requeue_after,
                    sync_phase, destination_server, conditions, render_cached)
    AppEnvironment(git, hub, clusters, events, namespace="fleetops", render_cache, schema, clock,
                   self_heal_backoff, sync_timeout=300, sync_wait=2, sync_requeue=1, health_poll=0.2,
                   remote_bases=None)
        an operation lives in `status.operationState`: a reconcile advances it as far as it can
        (waiting at most `sync_wait`), records it (phase Running) and asks to be requeued; retries
        wait there too (Running, `finishedAt`, `retryCount`), so a restart loses nothing
    Clusters (Protocol: connect(destination) -> ClusterConnection(server, name, client, cache)),
    DestinationError; EventRecorder(hub, instance=).record(obj, type, reason, message)
    ChangeSet / Change / ChangeAction (created | configured | unchanged | deleted | failed)
    SyncRunner(client, cache, timeout=, poll=, validate=True):
        dry_run(plan) -> SyncState (Failed, or started);
        run(state) -> SyncState (done, or waiting once `timeout` has passed); release_hooks(state)
    delete_app(app, env) -> DeletionResult(done, deleted, remaining, error)   cascade deletion
        (resources-finalizer.argocd.argoproj.io[/background]); DeletionError condition on failure
    reconcile_appset(appset, AppSetEnvironment(hub, git, namespace), AppSetView(applications,
                     cluster_secrets, projects), *, refresh=False) -> AppSetResult
        stages: read git trees → generate → validate → rollout → plan writes → write → status
"""

from fleetops.engine.app_delete import DeletionResult, delete_app
from fleetops.engine.app_reconcile import ReconcileResult, reconcile_app
from fleetops.engine.appset_reconcile import AppSetEnvironment, AppSetResult, AppSetView, reconcile_appset
from fleetops.engine.changeset import Change, ChangeAction, ChangeSet
from fleetops.engine.environment import AppEnvironment, ClusterConnection, Clusters, DestinationError
from fleetops.engine.events import EventRecorder
from fleetops.engine.sync_runner import SyncRunner

__all__ = [
    "AppEnvironment",
    "AppSetEnvironment",
    "AppSetResult",
    "AppSetView",
    "Change",
    "ChangeAction",
    "ChangeSet",
    "ClusterConnection",
    "Clusters",
    "DeletionResult",
    "DestinationError",
    "EventRecorder",
    "ReconcileResult",
    "SyncRunner",
    "delete_app",
    "reconcile_app",
    "reconcile_appset",
]
