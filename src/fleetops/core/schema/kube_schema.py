"""`KubeSchema`: the schema and resources of one Kubernetes version, extensible with CRDs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from fleetops.core.schema import builtin_resources, crd_schema
from fleetops.core.schema.api_versions import version_priority
from fleetops.core.schema.definitions import Definitions, load_definitions, normalise_version
from fleetops.core.schema.node import SchemaNode, resolve
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.model import GroupKind, GroupVersionKind, GroupVersionResource, Manifest

LIST_ITEMS = "[]"
DEFAULT_VERSION = "1.32"


class KubeSchema:
    """Immutable: `with_crd` / `without_crd` return new schemas sharing the built-in definitions."""

    def __init__(
        self,
        definitions: Definitions,
        resources: Sequence[ResourceInfo],
        custom_nodes: Mapping[GroupVersionKind, SchemaNode] | None = None,
        crds: Mapping[str, crd_schema.CustomResource] | None = None,
        *,
        builtin_nodes: dict[GroupVersionKind, SchemaNode] | None = None,
    ) -> None:
        self._definitions = definitions
        self._resources = tuple(resources)
        self._custom_nodes = dict(custom_nodes or {})
        self._crds = dict(crds or {})
        # Shared by the schemas `with_crd` derives: built-in nodes do not depend on the CRDs.
        self._builtin_nodes = builtin_nodes if builtin_nodes is not None else {}
        self._by_gvk = {info.gvk: info for info in self._resources}
        self._by_gvr = {info.gvr: info for info in self._resources}
        by_group_kind: dict[GroupKind, list[ResourceInfo]] = {}
        for info in self._resources:
            by_group_kind.setdefault(info.group_kind, []).append(info)
        self._by_group_kind = {
            group_kind: sorted(infos, key=lambda info: version_priority(info.gvk.version), reverse=True)
            for group_kind, infos in by_group_kind.items()
        }

    def __repr__(self) -> str:
        return f"KubeSchema(version={self.version!r}, crds={sorted(self._crds)!r})"

    @property
    def version(self) -> str:
        return self._definitions.version

    @property
    def definitions(self) -> Definitions:
        return self._definitions

    def kinds(self) -> list[GroupVersionKind]:
        """Every GVK with a schema: built-in definitions and served CRD versions."""
        return [*self._definitions.kinds, *self._custom_nodes]

    def is_builtin(self, gvk: GroupVersionKind) -> bool:
        """True for kinds of the built-in API (which carry strategic-merge metadata)."""
        return gvk not in self._custom_nodes and gvk in self._definitions.kinds

    def node_for(self, gvk: GroupVersionKind) -> SchemaNode | None:
        custom = self._custom_nodes.get(gvk)
        if custom is not None:
            return custom
        node = self._builtin_nodes.get(gvk)
        if node is None:
            name = self._definitions.kinds.get(gvk)
            if name is None:
                return None
            node = resolve({"$ref": f"#/$defs/{name}"}, self._definitions)
            self._builtin_nodes[gvk] = node
        return node

    def node_at(self, gvk: GroupVersionKind, path: Sequence[str]) -> SchemaNode | None:
        """The node at a path of field names; `"[]"` steps into list items and a name not declared
        by a map steps into its values (`("metadata", "labels", "app")`)."""
        node = self.node_for(gvk)
        for step in path:
            if node is None:
                return None
            node = node.items if step == LIST_ITEMS else node.field(step) or node.additional_properties
        return node

    def resource_for_kind(self, gvk: GroupVersionKind) -> ResourceInfo | None:
        return self._by_gvk.get(gvk)

    def resource_for(self, gvr: GroupVersionResource) -> ResourceInfo | None:
        return self._by_gvr.get(gvr)

    def resource_for_group_kind(self, group_kind: GroupKind) -> ResourceInfo | None:
        """The resource of a kind in its preferred version (GA > beta > alpha): enough to know
        its plural and scope whatever version a manifest uses."""
        found = self._by_group_kind.get(group_kind, ())
        return found[0] if found else None

    def is_namespaced(self, group_kind: GroupKind) -> bool | None:
        """Whether objects of a kind live in namespaces; None for a kind the schema does not serve."""
        info = self.resource_for_group_kind(group_kind)
        return None if info is None else info.namespaced

    def resources(self) -> Sequence[ResourceInfo]:
        return self._resources

    def crd_names(self) -> list[str]:
        return sorted(self._crds)

    def custom_resource(self, name: str) -> crd_schema.CustomResource | None:
        """The parsed CRD `name` (e.g. `widgets.example.com`): group/kind, storage version, nodes."""
        return self._crds.get(name)

    def with_crd(self, crd: Manifest) -> KubeSchema:
        """A new schema extended with the served versions of a CustomResourceDefinition (replacing
        an earlier CRD of the same name); raises `InvalidCustomResourceDefinitionError`."""
        custom = crd_schema.parse_crd(crd, self._definitions)
        crds = {**self._crds, custom.name: custom}
        return self._rebuild(crds)

    def without_crd(self, name: str) -> KubeSchema:
        """A new schema without the CRD `name` (e.g. `widgets.example.com`)."""
        crds = {key: value for key, value in self._crds.items() if key != name}
        return self._rebuild(crds)

    def _rebuild(self, crds: Mapping[str, crd_schema.CustomResource]) -> KubeSchema:
        custom_nodes: dict[GroupVersionKind, SchemaNode] = {}
        custom_resources: dict[GroupVersionKind, ResourceInfo] = {}
        for custom in crds.values():
            custom_nodes.update(custom.nodes)
            custom_resources.update({info.gvk: info for info in custom.resources})
        resources = [info for info in self._builtin_resources() if info.gvk not in custom_resources]
        resources.extend(custom_resources.values())
        return KubeSchema(self._definitions, resources, custom_nodes, crds, builtin_nodes=self._builtin_nodes)

    def _builtin_resources(self) -> list[ResourceInfo]:
        return [info for info in self._resources if info.builtin]


@cache
def load_schema(version: str = DEFAULT_VERSION) -> KubeSchema:
    """The schema of Kubernetes `version` ("1.25" … "1.37"; "v1.32.4" is accepted), cached."""
    normalised = normalise_version(version)
    if normalised != version:
        return load_schema(normalised)
    definitions = load_definitions(version)
    return KubeSchema(definitions, builtin_resources.resources_for(definitions))
