"""One kustomization directory: accumulate its resources, components, generators, transformers.

Order follows kustomize's KustTarget: resources, configurations and crds, generators,
components, then the built-in transformers (patchesStrategicMerge, patches, namespace,
prefix/suffix, labels, annotations, patchesJson6902, replicas, images, replacements) and the
`transformers:` plugin configs, then vars are merged.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize import plugins
from fleetops.core.kustomize.accumulator import Accumulator
from fleetops.core.kustomize.builtin_config import TransformerConfig, merge_field_spec
from fleetops.core.kustomize.crds import config_from_crds
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import FieldSpec
from fleetops.core.kustomize.generators.configmap_secret import generate, merge_options
from fleetops.core.kustomize.kustomization import COMPONENT_KIND, Kustomization, load_kustomization
from fleetops.core.kustomize.loader import Loader, RemotePendingError
from fleetops.core.kustomize.openapi import CustomSchema, load_openapi
from fleetops.core.kustomize.remote import parse_repo_spec
from fleetops.core.kustomize.resources import MalformedYamlError, resources_from_bytes
from fleetops.core.kustomize.transformers import patches as patching
from fleetops.core.kustomize.transformers.images import set_images
from fleetops.core.kustomize.transformers.metadata_maps import set_map_entries
from fleetops.core.kustomize.transformers.namespace import set_namespace
from fleetops.core.kustomize.transformers.prefix_suffix import add_prefix, add_suffix
from fleetops.core.kustomize.transformers.replacements import apply_replacements
from fleetops.core.kustomize.transformers.replicas import set_replicas
from fleetops.core.kustomize.transformers.vars import mark_var_targets
from fleetops.core.kustomize.yaml_config import load_yaml_map


@dataclass
class BuildContext:
    """Shared by all targets of one build."""

    warnings: list[str] = field(default_factory=list)
    openapi: CustomSchema | None = None
    openapi_set: bool = False
    origin_annotations: bool = False
    transformer_annotations: bool = False


class KustTarget:
    def __init__(self, ldr: Loader, context: BuildContext, origin: str = ".") -> None:
        self.ldr = ldr
        self.context = context
        self.origin = origin
        url, ref = ldr.repo_origin
        self.repo_origin: dict[str, str] = {"repo": url, "ref": ref} if url else {}
        self.kustomization: Kustomization = load_kustomization(ldr)
        for warning in self.kustomization.warnings:
            if warning not in context.warnings:
                context.warnings.append(warning)
        settings = self.kustomization.map("openapi")
        if settings:
            custom = load_openapi(ldr, settings)
            if not context.openapi_set:
                context.openapi, context.openapi_set = custom, True

    # -- accumulation -------------------------------------------------------------------------

    def accumulate(self) -> Accumulator:
        acc = Accumulator()
        self.accumulate_into(acc)
        return acc

    def accumulate_into(self, acc: Accumulator) -> Accumulator:
        k = self.kustomization
        self._resources(acc, k.list("resources"))
        config = TransformerConfig()
        for path in k.list("configurations"):
            config.merge(TransformerConfig.from_dict(load_yaml_map(self.ldr, str(path))))
        config.merge(TransformerConfig.default())
        acc.config.merge(config)
        crds = k.list("crds")
        if crds:
            acc.config.merge(config_from_crds(self.ldr, [str(c) for c in crds]))
        # generators run before components (kustomize >= 5.1), so components see generated objects
        self._generators(acc)
        for path in k.list("components"):
            try:
                acc = self._directory(acc, str(path), component=True, label="accumulating components")
            except RemotePendingError:
                continue
        acc.resources.openapi = self.context.openapi
        self._transformers(acc)
        new_vars = [v for v in k.list("vars") if isinstance(v, dict)]
        mark_var_targets(acc.resources, new_vars)
        acc.merge_vars(new_vars)
        return acc

    def _resources(self, acc: Accumulator, paths: list[Any]) -> None:
        for item in paths:
            path = str(item)
            if parse_repo_spec(path) is not None:
                self._remote(acc, path)
                continue
            try:
                self._file(acc, path)
                continue
            except MalformedYamlError as error:
                raise error.wrap(f"accumulating resources: accumulating resources from '{path}'") from None
            except KustomizeError as file_error:
                if not self.ldr.fs.is_dir(self.ldr.absolute(path)):
                    raise KustomizeError(
                        f"accumulating resources: accumulation err='accumulating resources from '{path}': "
                        f"{file_error}': {self._dir_error(path)}"
                    ) from None
            try:
                self._directory(acc, path, component=False, label="")
            except KustomizeError as error:
                raise error.wrap(
                    f"accumulating resources: accumulation err='accumulating resources from '{path}'"
                ) from None

    def _remote(self, acc: Accumulator, path: str) -> None:
        try:
            self._directory(acc, path, component=False, label="")
        except RemotePendingError:
            return  # fetched by the caller, then built again
        except KustomizeError as error:
            raise error.wrap(f"accumulating resources: accumulating remote base '{path}'") from None

    def _dir_error(self, path: str) -> str:
        try:
            self.ldr.child(path)
        except KustomizeError as error:
            return str(error)
        return "not a directory"

    def _file(self, acc: Accumulator, path: str) -> None:
        target = self.ldr.absolute(path)
        if self.ldr.fs.is_dir(target):
            raise KustomizeError(f"'{target}' is a directory")
        data = self.ldr.read(path)
        for resource in resources_from_bytes(data, path):
            if resource.obj.get("kind") in ("Kustomization", COMPONENT_KIND) and str(
                resource.obj.get("apiVersion") or ""
            ).startswith("kustomize.config.k8s.io"):
                raise KustomizeError(f"'{target}' is a kustomization file, not a resource")
            resource.origin = {"path": self.origin_of(path), **self.repo_origin}
            acc.resources.append(resource)

    def _directory(self, acc: Accumulator, path: str, *, component: bool, label: str) -> Accumulator:
        try:
            child_ldr = self.ldr.child(path)
            entered_remote = child_ldr.repo != self.ldr.repo
            # in a remote base, origins are paths inside its repository, with the repo and ref
            origin = (child_ldr.root.lstrip("/") or ".") if entered_remote else self.origin_of(path)
            child = KustTarget(child_ldr, self.context, origin)
            kind = child.kustomization.kind
            if component and kind != COMPONENT_KIND:
                raise KustomizeError(
                    f"accumulateDirectory: \"expected kind '{COMPONENT_KIND}' for path '{child_ldr.root}' "
                    f"but got '{kind}'"
                )
            if not component and kind == COMPONENT_KIND:
                raise KustomizeError(f"expected kind != '{COMPONENT_KIND}' for path '{child_ldr.root}'")
            if component:
                return child.accumulate_into(acc)
            sub = child.accumulate()
            acc.resources.append_all(sub.resources)
            acc.merge(sub)
            return acc
        except RemotePendingError:
            raise
        except KustomizeError as error:
            if label:
                raise error.wrap(label) from None
            raise

    # -- generators -------------------------------------------------------------------------

    def _generators(self, acc: Accumulator) -> None:
        acc.resources.openapi = self.context.openapi
        k = self.kustomization
        global_options = k.map("generatorOptions")
        for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
            for args in k.list(key):
                if not isinstance(args, dict):
                    raise KustomizeError(f"invalid {key} entry")
                options = merge_options(args.get("options"), global_options)
                try:
                    generated = generate(self.ldr, args, kind, options)
                    generated.origin = self.generator_origin(f"{kind}Generator")
                    acc.absorb([generated])
                except KustomizeError as error:
                    raise error.wrap(f"merging from generator {args.get('name')}") from None
        if k.list("helmCharts") or k.map("helmGlobals"):
            raise KustomizeError("helm charts are not enabled in this build (helmCharts)")
        for config, configured_in in plugins.load_plugin_configs(self, k.list("generators")):
            generated_list = plugins.run_generator(self.ldr, config)
            for generated in generated_list:
                generated.origin = self.generator_origin("", configured_in, config)
            acc.absorb(generated_list)

    # -- transformers -----------------------------------------------------------------------

    def _transformers(self, acc: Accumulator) -> None:
        k = self.kustomization
        ldr = self.ldr
        config = acc.config
        resources = acc.resources
        sm_entries = k.list("patchesStrategicMerge")
        if sm_entries:
            for patch in patching.load_strategic_merge_patches(ldr, sm_entries):
                patching.apply_sm_by_id(resources, patch)
            self._record(acc, "PatchStrategicMergeTransformer")
        for entry in k.list("patches"):
            if not isinstance(entry, dict):
                raise KustomizeError("invalid patches entry")
            patching.apply_patch_entry(resources, ldr, entry)
            self._record(acc, "PatchTransformer")
        if k.string("namespace"):
            set_namespace(resources, k.string("namespace"), config.namespace)
            self._record(acc, "NamespaceTransformer")
        if k.string("namePrefix"):
            add_prefix(resources, k.string("namePrefix"), config.name_prefix)
            self._record(acc, "PrefixTransformer")
        if k.string("nameSuffix"):
            add_suffix(resources, k.string("nameSuffix"), config.name_suffix)
            self._record(acc, "SuffixTransformer")
        labels = k.list("labels")
        if labels or k.map("commonLabels"):
            for label in labels:
                if isinstance(label, dict):
                    set_map_entries(resources, label.get("pairs") or {}, label_specs(label, config))
                self._record(acc, "LabelTransformer")
            set_map_entries(resources, k.map("commonLabels"), config.common_labels)
            self._record(acc, "LabelTransformer")
        if k.map("commonAnnotations"):
            set_map_entries(resources, k.map("commonAnnotations"), config.common_annotations)
            self._record(acc, "AnnotationsTransformer")
        for entry in k.list("patchesJson6902"):
            if not isinstance(entry, dict):
                raise KustomizeError("invalid patchesJson6902 entry")
            patching.apply_json6902_entry(resources, ldr, entry)
            self._record(acc, "PatchJson6902Transformer")
        for replica in k.list("replicas"):
            set_replicas(resources, replica, config.replicas)
            self._record(acc, "ReplicaCountTransformer")
        for image in k.list("images"):
            set_images(resources, image, config.images)
            self._record(acc, "ImageTagTransformer")
        replacements = k.list("replacements")
        if replacements:
            apply_replacements(resources, plugins.load_replacements(ldr, replacements))
            self._record(acc, "ReplacementTransformer")
        for plugin_config, configured_in in plugins.load_plugin_configs(self, k.list("transformers")):
            plugins.run_transformer(self.ldr, plugin_config, acc)
            self._record(acc, str(plugin_config.get("kind") or ""), configured_in, plugin_config)

    # -- build metadata ---------------------------------------------------------------------

    @property
    def kustomization_origin_path(self) -> str:
        return posixpath.normpath(posixpath.join(self.origin, posixpath.basename(self.kustomization.path)))

    def origin_of(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.origin, path))

    def generator_origin(
        self, kind: str, configured_in: str | None = None, config: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        by: dict[str, Any] = {"apiVersion": "builtin", "kind": kind}
        if config is not None:
            by = {"apiVersion": config.get("apiVersion"), "kind": config.get("kind")}
            meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
            assert isinstance(meta, dict)
            if meta.get("name"):
                by["name"] = meta["name"]
            if meta.get("namespace"):
                by["namespace"] = meta["namespace"]
        return {
            **self.repo_origin,
            "configuredIn": configured_in or self.kustomization_origin_path,
            "configuredBy": by,
        }

    def _record(
        self,
        acc: Accumulator,
        kind: str,
        configured_in: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        if not (self.context.transformer_annotations or self.context.origin_annotations):
            return
        entry = self.generator_origin(kind, configured_in, config)
        for resource in acc.resources:
            if resource.origin is None:
                resource.origin = entry
            else:
                resource.transformations.append(entry)


def label_specs(label: dict[str, Any], config: TransformerConfig) -> list[FieldSpec]:
    specs = [FieldSpec.from_dict(s) for s in label.get("fields") or [] if isinstance(s, dict)]
    if label.get("includeSelectors"):
        for spec in config.common_labels:
            merge_field_spec(specs, spec)
    else:
        if label.get("includeTemplates"):
            # kustomize v5.8.1: templates include StatefulSet volumeClaimTemplates
            for spec in config.template_labels:
                merge_field_spec(specs, spec)
        merge_field_spec(specs, FieldSpec("metadata/labels", create=True))
    for spec in config.labels:
        merge_field_spec(specs, spec)
    return specs
