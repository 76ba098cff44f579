"""Services: a ClusterIP for those without one, node ports for NodePort and LoadBalancer Services,
and a load-balancer address (`status.loadBalancer.ingress[{ip}]`) for type LoadBalancer."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import SERVICES

Manifest = dict[str, Any]

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/16")
LOAD_BALANCER_POOL = ipaddress.ip_network("172.18.255.0/24")
NODE_PORTS = range(30000, 32768)


def _spec(service: Manifest) -> Manifest:
    return service.get("spec") or {}


class ServiceController(WorkloadController):
    identity = "system:serviceaccount:kube-system:service-controller"
    manager = "kube-controller-manager"
    component = "service-controller"

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == SERVICES and event.type != "DELETED"

    def resync(self) -> None:
        for service in self.state.store.list(SERVICES, None):
            self.reconcile(service)

    def handle(self, event: WatchEvent) -> None:
        metadata = event.object["metadata"]
        current = self.get(SERVICES, str(metadata.get("namespace")), str(metadata["name"]))
        if current is not None:
            self.reconcile(current)

    def reconcile(self, service: Manifest) -> None:
        if service["metadata"].get("deletionTimestamp"):
            return
        spec = _spec(service)
        kind = spec.get("type", "ClusterIP")
        changed = copy.deepcopy(service)
        new_spec = changed.setdefault("spec", {})
        if kind != "ExternalName" and not spec.get("clusterIP"):
            address = self._free_cluster_ip()
            new_spec["clusterIP"] = address
            new_spec["clusterIPs"] = [address]
        if kind in ("NodePort", "LoadBalancer"):
            used = self._used_node_ports()
            for port in new_spec.get("ports") or []:
                if isinstance(port, dict) and not port.get("nodePort"):
                    port["nodePort"] = next(p for p in NODE_PORTS if p not in used)
                    used.add(port["nodePort"])
            new_spec.setdefault("externalTrafficPolicy", "Cluster")
        if kind == "LoadBalancer":
            new_spec.setdefault("allocateLoadBalancerNodePorts", True)
        if changed != service:
            service = self.write(SERVICES, changed)
        self._post_status(service, kind)

    def _post_status(self, service: Manifest, kind: str) -> None:
        status = copy.deepcopy(service.get("status") or {})
        balancer = status.get("loadBalancer") or {}
        if kind == "LoadBalancer":
            if not balancer.get("ingress"):
                balancer = {"ingress": [{"ip": self._free_balancer_ip(), "ipMode": "VIP"}]}
                self.event(service, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
                self.event(service, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")
        else:
            balancer = {}
        status["loadBalancer"] = balancer
        self.write_status(SERVICES, service, status)

    def _free_cluster_ip(self) -> str:
        used = {str(_spec(s).get("clusterIP")) for s in self.state.store.list(SERVICES, None)}
        for address in SERVICE_CIDR.hosts():
            text = str(address)
            if text not in used and not text.endswith((".0.1", ".0.10")):
                return text
        raise LookupError("the service CIDR is exhausted")

    def _used_node_ports(self) -> set[int]:
        return {
            int(port["nodePort"])
            for s in self.state.store.list(SERVICES, None)
            for port in _spec(s).get("ports") or []
            if isinstance(port, dict) and port.get("nodePort")
        }

    def _free_balancer_ip(self) -> str:
        used = {
            ingress.get("ip")
            for s in self.state.store.list(SERVICES, None)
            for ingress in ((s.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        }
        for address in LOAD_BALANCER_POOL.hosts():
            if str(address) not in used and str(address) != INGRESS_ADDRESS:
                return str(address)
        raise LookupError("the load-balancer pool is exhausted")


INGRESS_ADDRESS = "172.18.255.254"
"""The address of the cluster's (simulated) ingress controller, given to every Ingress."""
