"""The Argo CD CustomResourceDefinitions fleetops registers (`argoproj.io/v1alpha1` Application,
AppProject, ApplicationSet), written by fleetops and shipped as package data.

Public API::

    application_crd() / appproject_crd() / applicationset_crd() -> Manifest   # fresh copies
    crd(name) -> Manifest; all_crds() -> list[Manifest]
    with_argo_crds(schema: KubeSchema) -> KubeSchema
    APPLICATION_CRD, APPPROJECT_CRD, APPLICATIONSET_CRD                       # CRD names

Main fields are typed; subtrees fleetops does not type keep unknown fields
(`x-kubernetes-preserve-unknown-fields`), so nothing a user wrote is dropped. Differences from
Argo CD's own CRDs: Application has a `status` subresource (Argo CD writes status through the main
resource), so applying a spec never clears status.
"""

from fleetops.core.crds.loader import (
    APPLICATION_CRD,
    APPLICATIONSET_CRD,
    APPPROJECT_CRD,
    all_crds,
    application_crd,
    applicationset_crd,
    appproject_crd,
    crd,
    with_argo_crds,
)

__all__ = [
    "APPLICATIONSET_CRD",
    "APPLICATION_CRD",
    "APPPROJECT_CRD",
    "all_crds",
    "application_crd",
    "applicationset_crd",
    "appproject_crd",
    "crd",
    "with_argo_crds",
]
