"""The hub runtime: controllers, work queues, sharding, and the metrics they export.

Public API::

    Metrics(apps=None, appsets=None)       # fleetops.controller.metrics: Argo CD's metric names
      .set_app(app) / .delete_app(ns, name); .set_cluster(server, name=, k8s_version=, connected=)
      .delete_cluster(server); .observe_sync(app, phase); .observe_reconcile(app, seconds)
      .observe_k8s_request(app, server=, response_code=, verb=, resource_kind=, resource_namespace=)
      .observe_git_request(repo, request_type, seconds); .render() -> bytes; .registry
      .set_appset(appset) / .delete_appset(ns, name); .observe_appset_reconcile(appset, seconds)
    app_info_labels(app) -> dict[str, str]; GitRequestType; ClusterState; CONTENT_TYPE
"""

from fleetops.controller.metrics import CONTENT_TYPE, ClusterState, GitRequestType, Metrics, app_info_labels

__all__ = ["CONTENT_TYPE", "ClusterState", "GitRequestType", "Metrics", "app_info_labels"]
