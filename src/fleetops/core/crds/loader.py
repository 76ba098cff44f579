"""The CustomResourceDefinitions fleetops registers in its hub, read from package data.

Each manifest is parsed once; callers get a fresh deep copy (YAML anchors in the files share
sub-schemas, a copy never aliases them).
"""

from __future__ import annotations

import copy
import functools
from importlib import resources

import yaml

from fleetops.core.schema import KubeSchema
from fleetops.model.manifest import Manifest

APPLICATION_CRD = "applications.argoproj.io"
APPPROJECT_CRD = "appprojects.argoproj.io"
APPLICATIONSET_CRD = "applicationsets.argoproj.io"

_FILES = {
    APPLICATION_CRD: "application.yaml",
    APPPROJECT_CRD: "appproject.yaml",
    APPLICATIONSET_CRD: "applicationset.yaml",
}


@functools.cache
def _parsed(name: str) -> Manifest:
    text = resources.files("fleetops.core.crds").joinpath("manifests", _FILES[name]).read_text("utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise TypeError(f"{_FILES[name]} is not a CustomResourceDefinition")
    return loaded


def crd(name: str) -> Manifest:
    """The CRD named `name` (e.g. `applications.argoproj.io`); KeyError for another name."""
    if name not in _FILES:
        raise KeyError(f"fleetops registers no CRD named {name!r}; known: {sorted(_FILES)}")
    return copy.deepcopy(_parsed(name))


def application_crd() -> Manifest:
    return crd(APPLICATION_CRD)


def appproject_crd() -> Manifest:
    return crd(APPPROJECT_CRD)


def applicationset_crd() -> Manifest:
    return crd(APPLICATIONSET_CRD)


def all_crds() -> list[Manifest]:
    """Every CRD fleetops registers, in the order to create them."""
    return [crd(name) for name in _FILES]


def with_argo_crds(schema: KubeSchema) -> KubeSchema:
    """`schema` extended with Application, AppProject and ApplicationSet."""
    for manifest in all_crds():
        schema = schema.with_crd(manifest)
    return schema
