"""What a fresh cluster contains: the four default namespaces and the `kubernetes` Service."""

from __future__ import annotations

from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.caller import Caller, WriteOptions
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import NAMESPACES, ClusterState

DEFAULT_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
SERVICES = GroupResource("", "services")
_CALLER = Caller("system:apiserver", "kube-apiserver/v1.32.0 (linux/amd64) kubesim")
_OPTIONS = WriteOptions(field_manager="kube-apiserver", field_validation="Ignore")


def bootstrap(state: ClusterState) -> None:
    """Create what is missing (idempotent: a restarted cluster keeps what it has)."""
    writer = Writer(state)
    namespaces = state.info_for(NAMESPACES)
    assert namespaces is not None
    for name in DEFAULT_NAMESPACES:
        if state.store.get(NAMESPACES, "", name) is None:
            writer.create(
                namespaces,
                "",
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
                _OPTIONS,
                _CALLER,
            )
    services = state.info_for(SERVICES)
    if services is not None and state.store.get(SERVICES, "default", "kubernetes") is None:
        writer.create(
            services,
            "default",
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {
                    "name": "kubernetes",
                    "labels": {"component": "apiserver", "provider": "kubernetes"},
                },
                "spec": {
                    "clusterIP": "10.96.0.1",
                    "clusterIPs": ["10.96.0.1"],
                    "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                },
            },
            _OPTIONS,
            _CALLER,
        )
