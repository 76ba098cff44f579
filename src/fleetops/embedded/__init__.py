"""Embedded mode (`fleetops up`): kubesim with a hub and the seed's spokes, a sample config
repository served over smart HTTP, Applications, and the hub runtime — one process, no cluster.

This package is wiring, like `fleetops.cli` (which uses it): it may import kubesim, the adapters
and the server. Its modules are imported one by one (`fleetops cluster add` needs only
`cluster_secrets`, not kubesim). Public API::

    runner.run_embedded(EmbeddedConfig(data_dir, kubeconfig, host, port, poll_interval, poll_jitter),
                 *, echo, on_ready) -> None          runs until cancelled; the kubeconfig is written
                                                     last (ready) and removed on stop
    runner.Running(fleet, git, repo_url, state, port)       what on_ready receives
    gitserver.GitHttpServer(root, host=, port=)                `git http-backend` over aiohttp (fetch, push)
    sample_repo.files() / create_repository(path)    the seed's mono-repo layout
    sample_repo.add_platform(path)                   clusters/<spoke>/platform into an older sample
    applications.applications()                      the seed's application.yaml + one per app and
                                                     spoke (staging, production) + cluster bases
    applications.platform_applicationset()           the seed's applicationset.yaml (unchanged text)
    applications.platform_project(ns, servers)       the AppProject `platform` it names
    first_sync.run_first_syncs(client, ns, appset)   one sync of each new Application it owns
    fleet_layout: HUB, SPOKES (name, environment, region), APPS, SEED_REPO_URL, CONTROL_NAMESPACE
    cluster_secrets.cluster_secret(name=, server=, namespace=, token=, ca_pem=, labels=, ...)
    autoscaler.run_autoscaler(client)                HPA status stand-in (kubesim has no metrics)
    signals.run_until_signalled(main, *helpers)      foreground run, clean stop on SIGINT/SIGTERM

Data directory: `kubesim/` (SQLite, PKI, ports), `git/org/gitops-config.git`, `git-cache/`,
`embedded.json` (Git and hub ports, webhook secret, whether the sample was installed).
"""
