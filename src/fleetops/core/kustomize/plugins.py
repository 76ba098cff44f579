"""Built-in plugin configs in `generators:` and `transformers:` (`apiVersion: builtin`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.accumulator import Accumulator
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import FieldSpec
from fleetops.core.kustomize.generators.configmap_secret import generate
from fleetops.core.kustomize.loader import Loader
from fleetops.core.kustomize.resid import Gvk
from fleetops.core.kustomize.resource import Resource
from fleetops.core.kustomize.resources import resources_from_bytes
from fleetops.core.kustomize.transformers import patches as patching
from fleetops.core.kustomize.transformers.images import set_images
from fleetops.core.kustomize.transformers.metadata_maps import set_map_entries
from fleetops.core.kustomize.transformers.namespace import set_namespace
from fleetops.core.kustomize.transformers.prefix_suffix import add_prefix_suffix
from fleetops.core.kustomize.transformers.replacements import apply_replacements
from fleetops.core.kustomize.transformers.replicas import set_replicas
from fleetops.core.kustomize.yaml_config import load_yaml_documents

if TYPE_CHECKING:
    from fleetops.core.kustomize.target import KustTarget


def load_plugin_configs(target: KustTarget, entries: list[Any]) -> list[tuple[dict[str, Any], str]]:
    """Plugin config objects (with where each was configured): inline YAML, files, or
    kustomization directories that produce them."""
    acc = Accumulator()
    inline_origin = target.kustomization_origin_path
    origins: dict[int, str] = {}
    paths: list[str] = []
    for entry in entries:
        text = str(entry)
        inline = None
        if "\n" in text:
            try:
                inline = resources_from_bytes(text.encode(), "inline")
            except KustomizeError:
                inline = None
        if inline:
            for resource in inline:
                acc.resources.append(resource)
                origins[id(resource)] = inline_origin
        else:
            paths.append(text)
    target._resources(acc, paths)
    result = []
    for resource in acc.resources:
        configured_in = origins.get(id(resource))
        if configured_in is None:
            configured_in = str((resource.origin or {}).get("path") or inline_origin)
        result.append((resource.obj, configured_in))
    return result


def _specs(config: dict[str, Any]) -> list[FieldSpec]:
    return [FieldSpec.from_dict(s) for s in config.get("fieldSpecs") or [] if isinstance(s, dict)]


def _check_builtin(config: dict[str, Any]) -> str:
    kind = str(config.get("kind") or "")
    api_version = str(config.get("apiVersion") or "")
    if api_version != "builtin":
        raise KustomizeError(
            f"unable to load plugin {Gvk.from_api_version(api_version, kind)}: "
            "external plugins are not enabled"
        )
    return kind


def run_generator(ldr: Loader, config: dict[str, Any]) -> list[Resource]:
    kind = _check_builtin(config)
    meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    if kind in ("ConfigMapGenerator", "SecretGenerator"):
        args = dict(config)
        args.setdefault("name", meta.get("name"))
        if not args.get("namespace") and meta.get("namespace"):
            args["namespace"] = meta.get("namespace")
        return [generate(ldr, args, kind[: -len("Generator")], dict(config.get("options") or {}))]
    if kind == "IAMPolicyGenerator":
        return [_iam_policy(config)]
    raise KustomizeError(f"unable to load builtin {Gvk.from_api_version('builtin', kind)}")


def _iam_policy(config: dict[str, Any]) -> Resource:
    service = config.get("kubernetesService") or {}
    account = config.get("serviceAccount") or {}
    metadata: dict[str, Any] = {
        "annotations": {
            "iam.gke.io/gcp-service-account": (
                f"{account.get('name')}@{account.get('projectId')}.iam.gserviceaccount.com"
            )
        },
        "name": service.get("name"),
    }
    if service.get("namespace"):
        metadata["namespace"] = service.get("namespace")
    return Resource(obj={"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata})


def run_transformer(ldr: Loader, config: dict[str, Any], acc: Accumulator) -> None:
    kind = _check_builtin(config)
    resources = acc.resources
    meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    if kind == "PatchTransformer":
        patching.apply_patch_entry(resources, ldr, config)
    elif kind == "PatchJson6902Transformer":
        patching.apply_json6902_entry(resources, ldr, config)
    elif kind == "PatchStrategicMergeTransformer":
        entries = list(config.get("paths") or [])
        if config.get("patches"):
            entries.append(str(config["patches"]))
        for patch in patching.load_strategic_merge_patches(ldr, entries):
            patching.apply_sm_by_id(resources, patch)
    elif kind in ("PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer"):
        add_prefix_suffix(
            resources, str(config.get("prefix") or ""), str(config.get("suffix") or ""), _specs(config)
        )
    elif kind == "LabelTransformer":
        set_map_entries(resources, config.get("labels") or {}, _specs(config))
    elif kind == "AnnotationsTransformer":
        set_map_entries(resources, config.get("annotations") or {}, _specs(config))
    elif kind == "NamespaceTransformer":
        set_namespace(
            resources,
            str(meta.get("namespace") or ""),
            _specs(config),
            unset_only=bool(config.get("unsetOnly")),
            subjects=str(config.get("setRoleBindingSubjects") or "defaultOnly"),
        )
    elif kind == "ImageTagTransformer":
        set_images(resources, config.get("imageTag") or {}, _specs(config))
    elif kind == "ReplicaCountTransformer":
        set_replicas(resources, config.get("replica") or {}, _specs(config))
    elif kind == "ReplacementTransformer":
        apply_replacements(resources, load_replacements(ldr, list(config.get("replacements") or [])))
    else:
        raise KustomizeError(f"unable to load builtin {Gvk.from_api_version('builtin', kind)}")


def load_replacements(ldr: Loader, entries: list[Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise KustomizeError("invalid replacement entry")
        if "path" in entry and len(entry) == 1:
            for document in load_yaml_documents(ldr, str(entry["path"])):
                if isinstance(document, list):
                    result.extend(d for d in document if isinstance(d, dict))
                elif isinstance(document, dict):
                    result.append(document)
        else:
            result.append(entry)
    return result
