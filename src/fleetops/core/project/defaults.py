"""The `default` project.

Argo CD creates an AppProject `default` that allows every repository, every destination and
every kind. fleetops does the same without writing it: when the hub has no AppProject named
`default`, an Application in project `default` is checked against `default_project()`, which
allows everything, except Applications outside the control-plane namespace (it has no
`sourceNamespaces`, as Argo CD's). An AppProject `default` that exists in the hub is used as it is.
"""

from __future__ import annotations

from fleetops.model.manifest import Manifest

DEFAULT_PROJECT = "default"


def default_project(namespace: str = "fleetops") -> Manifest:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": DEFAULT_PROJECT, "namespace": namespace},
        "spec": {
            "sourceRepos": ["*"],
            "destinations": [{"server": "*", "namespace": "*"}],
            "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        },
    }
