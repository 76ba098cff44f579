"""`crds:` files: name references declared in CRD OpenAPI schemas (x-kubernetes-object-ref-*)."""

from __future__ import annotations

import json
from typing import Any

from fleetops.core.kustomize.builtin_config import NameBackReference, TransformerConfig
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import FieldSpec
from fleetops.core.kustomize.loader import Loader
from fleetops.core.kustomize.resid import Gvk
from fleetops.core.yamlio import YamlReadError, load_documents


def config_from_crds(ldr: Loader, paths: list[str]) -> TransformerConfig:
    config = TransformerConfig()
    for path in paths:
        text = ldr.read(path)
        try:
            documents: list[Any] = [json.loads(text)] if text.lstrip().startswith(b"{") else load_documents(text)
        except (ValueError, YamlReadError) as error:
            raise KustomizeError(f"unable to load CRD file {path}: {error}") from None
        for document in documents:
            if isinstance(document, dict):
                _from_definitions(document, config)
    return config


def _from_definitions(document: dict[str, Any], config: TransformerConfig) -> None:
    definitions = document.get("definitions", document)
    if not isinstance(definitions, dict):
        return
    for schema in definitions.values():
        if not isinstance(schema, dict):
            continue
        gvks = schema.get("x-kubernetes-group-version-kind")
        if not isinstance(gvks, list) or not gvks:
            continue
        gvk = gvks[0]
        kind = Gvk(str(gvk.get("group") or ""), str(gvk.get("version") or ""), str(gvk.get("kind") or ""))
        _walk(schema, definitions, kind, "", config, set())


def _walk(schema: dict[str, Any], definitions: dict[str, Any], kind: Gvk, path: str,
          config: TransformerConfig, seen: set[str]) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        field_path = f"{path}/{name}" if path else name
        ref_kind = prop.get("x-kubernetes-object-ref-kind")
        if ref_kind:
            target = Gvk(str(prop.get("x-kubernetes-object-ref-api-version") or ""), "", str(ref_kind))
            spec = FieldSpec(field_path, Gvk(kind.group, kind.version, kind.kind))
            config.name_reference.append(NameBackReference(Gvk(kind=str(ref_kind)) if not target.group else target,
                                                           [spec]))
        if prop.get("x-kubernetes-annotation"):
            config.common_annotations.append(FieldSpec(field_path, kind, True))
        if prop.get("x-kubernetes-label-selector"):
            config.common_labels.append(FieldSpec(field_path, kind, True))
        if prop.get("x-kubernetes-identity"):
            config.name_prefix.append(FieldSpec(field_path, kind, False))
        ref = prop.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            target_name = ref[len("#/definitions/"):]
            sub = definitions.get(target_name)
            if isinstance(sub, dict) and target_name not in seen:
                _walk(sub, definitions, kind, field_path, config, seen | {target_name})
