"""What the API server allocates on create: Service cluster IPs and node ports."""

from __future__ import annotations

import ipaddress
from typing import Any

from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]

SERVICES = GroupResource("", "services")
SERVICE_NETWORK = ipaddress.ip_network("10.96.0.0/12")
NODE_PORTS = range(30000, 32768)


def _taken(state: ClusterState) -> tuple[set[str], set[int]]:
    addresses: set[str] = set()
    ports: set[int] = set()
    for service in state.store.list(SERVICES):
        spec = service.get("spec") or {}
        addresses.update(str(ip) for ip in spec.get("clusterIPs") or [spec.get("clusterIP")] if ip)
        ports.update(
            int(p["nodePort"]) for p in spec.get("ports") or [] if isinstance(p, dict) and p.get("nodePort")
        )
    return addresses, ports


def allocate_service(state: ClusterState, service: Manifest) -> None:
    """Give a new Service its cluster IP (unless headless or ExternalName) and node ports."""
    spec = service.setdefault("spec", {})
    kind = spec.get("type", "ClusterIP")
    if kind == "ExternalName":
        return
    addresses, ports = _taken(state)
    if not spec.get("clusterIP"):
        for offset in range(10, SERVICE_NETWORK.num_addresses - 1):
            candidate = str(SERVICE_NETWORK.network_address + offset)
            if candidate not in addresses:
                spec["clusterIP"] = candidate
                break
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    if kind in ("NodePort", "LoadBalancer"):
        free = (port for port in NODE_PORTS if port not in ports)
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort"):
                port["nodePort"] = next(free)
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
