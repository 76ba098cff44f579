"""Simulated nodes: created Ready at start, with addresses, capacity and pod CIDRs."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.rest.caller import Caller, WriteOptions
from fleetops.kubesim.rest.writes import Writer
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.workloads.resources import NODES
from fleetops.kubesim.workloads.settings import WorkloadSettings

Manifest = dict[str, Any]

KUBELET_VERSION = "v1.32.0"
NODE_MANAGER = "kubelet"
NODE_CALLER = Caller("system:node", f"kubelet/{KUBELET_VERSION} (linux/amd64) kubesim")


def host_ip(index: int) -> str:
    return f"172.18.0.{index + 2}"


def pod_cidr(index: int) -> str:
    return f"10.244.{index}.0/24"


def node_manifest(name: str, index: int) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": "kubesim",
                "type": "kubesim",
            },
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kubesim.fleetops.dev/node": "simulated"},
        },
        "spec": {
            "podCIDR": pod_cidr(index),
            "podCIDRs": [pod_cidr(index)],
            "providerID": f"kubesim://{name}",
        },
    }


def node_status(name: str, index: int, now: str) -> Manifest:
    def condition(kind: str, status: str, reason: str, message: str) -> Manifest:
        return {
            "type": kind,
            "status": status,
            "lastHeartbeatTime": now,
            "lastTransitionTime": now,
            "reason": reason,
            "message": message,
        }

    resources = {"cpu": "32", "memory": "131072Mi", "pods": "110", "ephemeral-storage": "1Ti"}
    return {
        "addresses": [
            {"type": "InternalIP", "address": host_ip(index)},
            {"type": "Hostname", "address": name},
        ],
        "allocatable": dict(resources),
        "capacity": dict(resources),
        "conditions": [
            condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition(
                "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"
            ),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {
            "architecture": "amd64",
            "bootID": f"kubesim-{name}",
            "containerRuntimeVersion": "containerd://1.7.24",
            "kernelVersion": "6.1.0-kubesim",
            "kubeProxyVersion": KUBELET_VERSION,
            "kubeletVersion": KUBELET_VERSION,
            "machineID": f"kubesim-{name}",
            "operatingSystem": "linux",
            "osImage": "kubesim",
            "systemUUID": f"kubesim-{name}",
        },
        "phase": "Running",
    }


def node_names(settings: WorkloadSettings) -> list[str]:
    return [f"{settings.node_name_prefix}{index}" for index in range(settings.node_count)]


def create_nodes(state: ClusterState, settings: WorkloadSettings | None = None) -> list[Manifest]:
    """Create the cluster's simulated nodes (Ready) unless they exist; returns the nodes."""
    settings = settings or WorkloadSettings()
    info = state.info_for(NODES)
    if info is None:
        raise LookupError("nodes are not served")
    writer = Writer(state)
    options = WriteOptions(field_manager=NODE_MANAGER, field_validation="Ignore")
    nodes: list[Manifest] = []
    for index, name in enumerate(node_names(settings)):
        found = state.store.get(NODES, "", name)
        if found is None:
            writer.create(info, "", node_manifest(name, index), options, NODE_CALLER)
            found = state.store.get(NODES, "", name)
            assert found is not None
        if not (found.get("status") or {}).get("conditions"):
            changed = {**found, "status": node_status(name, index, clock.rfc3339())}
            writer.update(info, "", name, changed, options, NODE_CALLER, "status")
        stored = state.store.get(NODES, "", name)
        assert stored is not None
        nodes.append(stored)
    return nodes


def is_ready(node: Manifest) -> bool:
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return bool(condition.get("status") == "True")
    return False


def schedulable(node: Manifest) -> bool:
    return is_ready(node) and not (node.get("spec") or {}).get("unschedulable")


def index_of(node: Manifest) -> int:
    """The node's number, from its pod CIDR (`10.244.<index>.0/24`)."""
    cidr = str((node.get("spec") or {}).get("podCIDR") or "10.244.0.0/24")
    try:
        return int(cidr.split(".")[2])
    except (IndexError, ValueError):
        return 0


def address_of(node: Manifest) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address"))
    return host_ip(index_of(node))
