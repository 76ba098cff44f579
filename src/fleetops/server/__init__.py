"""The hub's entry points: the wiring of concrete adapters and the aiohttp HTTP surface.

Public API::

    HubConfig(kubeconfig=None, context=None, cluster=None, namespace="fleetops",
              git_cache_dir=..., url_rewrites={}, webhook_secrets=(), host="127.0.0.1", port=8080,
              poll_interval=120.0, poll_jitter=60.0, shard="", workers=8)
    async run_hub(config, *, ready=None) -> None      runs until cancelled
    Hub(config): .start() / .stop() / .wait(); .port (the bound port when config.port is 0),
        .controller (AppController: .trigger_log, .refresh_repository(urls)), .metrics
    make_app(secrets=, refresh=, metrics=)            POST /api/webhook, GET /metrics, GET /healthz
"""

from fleetops.server.http import make_app
from fleetops.server.hub import Hub
from fleetops.server.wiring import DEFAULT_NAMESPACE, HubConfig, run_hub

__all__ = ["DEFAULT_NAMESPACE", "Hub", "HubConfig", "make_app", "run_hub"]
