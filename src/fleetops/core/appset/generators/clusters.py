"""The ``clusters`` generator: one parameter set per Argo CD cluster Secret that the selector
matches, plus the hub itself (``in-cluster``) when the selector is empty and no Secret names it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import GeneratorError
from fleetops.core.appset.generators.context import GeneratorContext
from fleetops.core.appset.generators.values import with_values
from fleetops.core.appset.inputs import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from fleetops.core.appset.params import Params, normalize_name
from fleetops.core.selectors import LabelSelector, SelectorError

__all__ = ["SECRET_TYPE_LABEL", "clusters_params", "secret_field"]

SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"


def clusters_params(spec: Mapping[str, Any], context: GeneratorContext) -> list[Params]:
    """Parameters: name, nameNormalized, server, project, metadata.labels.*, metadata.annotations.*
    and values.* (flat), or ``.metadata.labels`` / ``.values`` maps (goTemplate)."""
    raw_selector = spec.get("selector")
    try:
        selector = LabelSelector.from_struct(raw_selector or {})
    except SelectorError as error:
        raise GeneratorError(f"clusters generator: selector: {error}") from error
    secrets = [s for s in context.inputs.cluster_secrets if _labels(s).get(SECRET_TYPE_LABEL) == "cluster"]
    result: list[Params] = []
    in_cluster_named = False
    for secret in secrets:
        server = secret_field(secret, "server")
        in_cluster_named = in_cluster_named or server == IN_CLUSTER_SERVER
        if not selector.matches(_labels(secret)):
            continue
        params = _secret_params(secret, server, context.mode.go_template)
        result.append(with_values(params, spec.get("values"), context.mode))
    if context.inputs.include_in_cluster and not in_cluster_named and selector.is_empty():
        params = _base(IN_CLUSTER_NAME, IN_CLUSTER_SERVER, "")
        params = _with_metadata(params, {}, {}, context.mode.go_template)
        result.insert(0, with_values(params, spec.get("values"), context.mode))
    return result


def secret_field(secret: Mapping[str, Any], key: str) -> str:
    """A field of a Secret: ``stringData`` as is, ``data`` base64-decoded; empty if absent."""
    string_data = secret.get("stringData") or {}
    if key in string_data:
        return str(string_data[key])
    encoded = (secret.get("data") or {}).get(key)
    if encoded is None:
        return ""
    try:
        return base64.b64decode(str(encoded), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        name = (secret.get("metadata") or {}).get("name", "")
        raise GeneratorError(f"cluster secret {name}: data.{key} is not base64 text") from error


def _labels(secret: Mapping[str, Any]) -> dict[str, str]:
    return dict((secret.get("metadata") or {}).get("labels") or {})


def _secret_params(secret: Mapping[str, Any], server: str, go_template: bool) -> Params:
    metadata = secret.get("metadata") or {}
    name = secret_field(secret, "name") or str(metadata.get("name", ""))
    params = _base(name, server, secret_field(secret, "project"))
    labels = dict(metadata.get("labels") or {})
    annotations = dict(metadata.get("annotations") or {})
    return _with_metadata(params, labels, annotations, go_template)


def _base(name: str, server: str, project: str) -> Params:
    return {"name": name, "nameNormalized": normalize_name(name), "server": server, "project": project}


def _with_metadata(params: Params, labels: dict[str, str], annotations: dict[str, str], go: bool) -> Params:
    if go:
        return {**params, "metadata": {"labels": labels, "annotations": annotations}}
    flat = dict(params)
    flat.update({f"metadata.labels.{k}": str(v) for k, v in labels.items()})
    flat.update({f"metadata.annotations.{k}": str(v) for k, v in annotations.items()})
    return flat
