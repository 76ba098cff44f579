"""Namespaces: defaults for new ones (ServiceAccount `default`, ConfigMap `kube-root-ca.crt`), and
termination (purge every namespaced object, then remove the namespace)."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.controllers.base import Controller
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.rest.caller import WriteOptions
from fleetops.kubesim.state import NAMESPACES
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.writelog import WriteRecord

Manifest = dict[str, Any]

SERVICE_ACCOUNTS = GroupResource("", "serviceaccounts")
CONFIG_MAPS = GroupResource("", "configmaps")
ROOT_CA = "kube-root-ca.crt"
_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
    "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
    "distributions of Kubernetes clusters."
)


class NamespaceController(Controller):
    identity = "system:serviceaccount:kube-system:namespace-controller"
    manager = "kube-controller-manager"

    def __init__(self, state: Any, ca_pem: str = "") -> None:
        super().__init__(state)
        self.ca_pem = ca_pem or "-----BEGIN CERTIFICATE-----\nkubesim\n-----END CERTIFICATE-----\n"

    def resync(self) -> None:
        for namespace in self.state.store.list(NAMESPACES):
            self._reconcile(str(namespace["metadata"]["name"]))

    def handle(self, event: WatchEvent) -> None:
        if event.resource == NAMESPACES:
            if event.type != "DELETED":
                self._reconcile(str(event.object["metadata"]["name"]))
            return
        namespace = str(event.object["metadata"].get("namespace") or "")
        if namespace and (event.type == "DELETED" or event.resource in (SERVICE_ACCOUNTS, CONFIG_MAPS)):
            self._reconcile(namespace)

    def _reconcile(self, name: str) -> None:
        namespace = self.state.store.get(NAMESPACES, "", name)
        if namespace is None:
            return
        if namespace["metadata"].get("deletionTimestamp"):
            self._terminate(namespace)
        else:
            self._ensure_defaults(name)

    def _ensure_defaults(self, namespace: str) -> None:
        wanted: list[tuple[GroupResource, Manifest]] = [
            (
                SERVICE_ACCOUNTS,
                {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
            ),
            (
                CONFIG_MAPS,
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {
                        "name": ROOT_CA,
                        "annotations": {
                            "kubernetes.io/description": _DESCRIPTION,
                        },
                    },
                    "data": {"ca.crt": self.ca_pem},
                },
            ),
        ]
        for resource, obj in wanted:
            info = self.state.info_for(resource)
            if info is None or self.state.store.get(resource, namespace, obj["metadata"]["name"]) is not None:
                continue
            self.writer.create(
                info,
                namespace,
                obj,
                WriteOptions(field_manager=self.manager, field_validation="Ignore"),
                self.caller,
            )

    def _terminate(self, namespace: Manifest) -> None:
        name = str(namespace["metadata"]["name"])
        for resource, obj in self.state.store.in_namespace(name):
            info = self.state.info_for(resource)
            if info is not None and not obj["metadata"].get("deletionTimestamp"):
                self.delete(info, obj, "Background")
        if self.state.store.in_namespace(name):
            return
        gone = self.state.store.delete(NAMESPACES, "", name)
        if gone is not None:
            self.state.write_log.record(
                WriteRecord(
                    verb="delete",
                    resource="namespaces",
                    namespace="",
                    name=name,
                    field_manager=self.manager,
                    identity=self.identity,
                    user_agent=self.caller.user_agent,
                    time=clock.rfc3339_micro(),
                    resource_version=str(gone["metadata"].get("resourceVersion") or ""),
                )
            )
