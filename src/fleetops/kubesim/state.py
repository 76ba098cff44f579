"""The state of one simulated cluster that every layer of kubesim shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from fleetops.core.schema.kube_schema import KubeSchema
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim.catalog import Catalog
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.store import ObjectStore
from fleetops.kubesim.writelog import WriteLog

NAMESPACES = GroupResource("", "namespaces")
CRDS = GroupResource("apiextensions.k8s.io", "customresourcedefinitions")


@dataclass
class ClusterState:
    name: str
    store: ObjectStore
    catalog: Catalog
    write_log: WriteLog = field(default_factory=WriteLog)
    tokens: dict[str, str] = field(default_factory=dict)
    """Bearer token → identity (`system:admin`, `system:serviceaccount:ns:name`)."""

    @property
    def schema(self) -> KubeSchema:
        return self.catalog.schema

    def replace_schema(self, schema: KubeSchema) -> None:
        self.catalog = Catalog(schema)

    def namespace_phase(self, namespace: str) -> str | None:
        """`Active`, `Terminating`, or None when the namespace does not exist."""
        found = self.store.get(NAMESPACES, "", namespace)
        if found is None:
            return None
        if (found.get("metadata") or {}).get("deletionTimestamp"):
            return "Terminating"
        return str((found.get("status") or {}).get("phase") or "Active")

    def info_for(self, resource: GroupResource) -> ResourceInfo | None:
        return self.catalog.preferred(resource)
