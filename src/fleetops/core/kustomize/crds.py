"""`crds:` files: OpenAPI definitions whose x-kubernetes-* extensions declare name references,
annotation and label fields and identity fields of custom kinds."""

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
            document: Any = json.loads(text) if text.lstrip().startswith(b"{") else load_documents(text)[0]
        except (ValueError, YamlReadError, IndexError) as error:
            raise KustomizeError(f"unable to load CRD file {path}: {error}") from None
        if not isinstance(document, dict):
            continue
        definitions = {
            name: (d.get("Schema") if isinstance(d, dict) and "Schema" in d else d)
            for name, d in document.items()
        }
        for name, schema in definitions.items():
            properties = schema.get("properties") if isinstance(schema, dict) else None
            if (
                not isinstance(properties, dict)
                or not {"kind", "apiVersion", "metadata"} <= properties.keys()
            ):
                continue
            _walk(definitions, name, Gvk(kind=name.split(".")[-1]), [], config=config, seen=set())
    return config


def _walk(
    definitions: dict[str, Any],
    type_name: str,
    gvk: Gvk,
    path: list[str],
    *,
    config: TransformerConfig,
    seen: set[str],
) -> None:
    schema = definitions.get(type_name)
    if not isinstance(schema, dict) or type_name in seen:
        return
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        here = [*path, name]
        if "x-kubernetes-annotation" in prop:
            config.common_annotations.append(FieldSpec("/".join(here), gvk))
        if "x-kubernetes-label-selector" in prop:
            config.common_labels.append(FieldSpec("/".join(here), gvk))
        if "x-kubernetes-identity" in prop:
            config.name_prefix.append(FieldSpec("/".join(here), gvk))
        version, kind = (
            prop.get("x-kubernetes-object-ref-api-version"),
            prop.get("x-kubernetes-object-ref-kind"),
        )
        if version is not None and kind is not None:
            name_key = str(prop.get("x-kubernetes-object-ref-name-key") or "name")
            config.name_reference.append(
                NameBackReference(
                    Gvk(version=str(version), kind=str(kind)), [FieldSpec("/".join([*here, name_key]), gvk)]
                )
            )
        ref = prop.get("$ref")
        if isinstance(ref, str):
            _walk(
                definitions,
                ref.removeprefix("#/definitions/"),
                gvk,
                here,
                config=config,
                seen=seen | {type_name},
            )
