"""Endpoints and EndpointSlices: the addresses of the Pods each selecting Service reaches (ready ones
as addresses, others as not ready), kept current as Pods and Services change."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import ownership, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import ENDPOINT_SLICES, ENDPOINTS, PODS, SERVICES

Manifest = dict[str, Any]

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"


def _selects(service: Manifest, labels: dict[str, str]) -> bool:
    selector = (service.get("spec") or {}).get("selector") or {}
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def _target_port(port: Manifest, pod: Manifest) -> int | None:
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for container in (pod.get("spec") or {}).get("containers") or []:
        for declared in container.get("ports") or []:
            if declared.get("name") == target:
                return int(declared["containerPort"])
    return None


def _reference(pod: Manifest) -> Manifest:
    metadata = pod["metadata"]
    return {
        "kind": "Pod",
        "name": metadata["name"],
        "namespace": metadata["namespace"],
        "uid": metadata["uid"],
    }


class EndpointsController(WorkloadController):
    identity = "system:serviceaccount:kube-system:endpointslice-controller"
    manager = "kube-controller-manager"
    component = "endpoint-controller"

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource in (SERVICES, PODS)

    def resync(self) -> None:
        for service in self.state.store.list(SERVICES, None):
            self.reconcile(service)

    def handle(self, event: WatchEvent) -> None:
        metadata = event.object["metadata"]
        namespace = str(metadata.get("namespace") or "")
        if event.resource == SERVICES:
            if event.type == "DELETED":
                self._forget(namespace, str(metadata["name"]))
                return
            current = self.get(SERVICES, namespace, str(metadata["name"]))
            if current is not None:
                self.reconcile(current)
            return
        labels = [dict(event.object["metadata"].get("labels") or {})]
        if event.old is not None:
            labels.append(dict(event.old["metadata"].get("labels") or {}))
        for service in self.state.store.list(SERVICES, namespace):
            if any(_selects(service, found) for found in labels):
                self.reconcile(service)

    def _forget(self, namespace: str, name: str) -> None:
        endpoints = self.get(ENDPOINTS, namespace, name)
        if endpoints is not None:
            self.remove(ENDPOINTS, endpoints)

    def reconcile(self, service: Manifest) -> None:
        spec = service.get("spec") or {}
        if not spec.get("selector") or spec.get("type") == "ExternalName":
            return
        namespace = str(service["metadata"]["namespace"])
        selected = [
            pod
            for pod in self.state.store.list(PODS, namespace)
            if _selects(service, pod["metadata"].get("labels") or {})
            and (pod.get("status") or {}).get("podIP")
            and not pods.terminating(pod)
            and pods.phase(pod) not in ("Succeeded", "Failed")
        ]
        self._endpoints(service, selected)
        self._slice(service, selected)

    def _endpoints(self, service: Manifest, selected: list[Manifest]) -> None:
        ports = list((service.get("spec") or {}).get("ports") or [])
        subsets: list[Manifest] = []
        if selected and ports:
            ready = [pod for pod in selected if pods.ready(pod)]
            unready = [pod for pod in selected if not pods.ready(pod)]
            subset: Manifest = {}
            if ready:
                subset["addresses"] = [self._address(pod) for pod in ready]
            if unready:
                subset["notReadyAddresses"] = [self._address(pod) for pod in unready]
            subset["ports"] = [
                {
                    key: value
                    for key, value in (
                        ("name", port.get("name")),
                        ("port", _target_port(port, selected[0])),
                        ("protocol", port.get("protocol", "TCP")),
                    )
                    if value is not None
                }
                for port in ports
            ]
            subsets.append(subset)
        metadata = service["metadata"]
        body: Manifest = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": metadata["name"], "labels": dict(metadata.get("labels") or {})},
        }
        if subsets:
            body["subsets"] = subsets
        existing = self.get(ENDPOINTS, str(metadata["namespace"]), str(metadata["name"]))
        if existing is None:
            self.create(ENDPOINTS, str(metadata["namespace"]), body)
        elif existing.get("subsets") != body.get("subsets"):
            changed = copy.deepcopy(existing)
            changed.pop("subsets", None)
            if subsets:
                changed["subsets"] = subsets
            self.write(ENDPOINTS, changed)

    @staticmethod
    def _address(pod: Manifest) -> Manifest:
        return {
            "ip": pod["status"]["podIP"],
            "nodeName": pod["spec"].get("nodeName"),
            "targetRef": _reference(pod),
        }

    def _slice(self, service: Manifest, selected: list[Manifest]) -> None:
        ports = list((service.get("spec") or {}).get("ports") or [])
        endpoints = [
            {
                "addresses": [pod["status"]["podIP"]],
                "conditions": {"ready": pods.ready(pod), "serving": pods.ready(pod), "terminating": False},
                "nodeName": pod["spec"].get("nodeName"),
                "targetRef": _reference(pod),
            }
            for pod in selected
        ]
        slice_ports = (
            [
                {
                    key: value
                    for key, value in (
                        ("name", port.get("name", "")),
                        ("port", _target_port(port, selected[0])),
                        ("protocol", port.get("protocol", "TCP")),
                    )
                    if value is not None
                }
                for port in ports
            ]
            if selected
            else []
        )
        metadata = service["metadata"]
        existing = self.owned(ENDPOINT_SLICES, service)
        if not existing:
            labels = {
                **(metadata.get("labels") or {}),
                SERVICE_NAME_LABEL: metadata["name"],
                MANAGED_BY_LABEL: MANAGED_BY,
            }
            self.create(
                ENDPOINT_SLICES,
                str(metadata["namespace"]),
                {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": f"{metadata['name']}-",
                        "labels": labels,
                        "ownerReferences": [
                            ownership.reference_to(service, api_version="v1", kind="Service")
                        ],
                    },
                    "addressType": "IPv4",
                    "endpoints": endpoints,
                    "ports": slice_ports,
                },
            )
            return
        current = existing[0]
        if current.get("endpoints") != endpoints or current.get("ports") != slice_ports:
            changed = copy.deepcopy(current)
            changed["endpoints"] = endpoints
            changed["ports"] = slice_ports
            self.write(ENDPOINT_SLICES, changed)
