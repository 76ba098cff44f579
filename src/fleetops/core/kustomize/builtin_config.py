"""kustomize's built-in transformer configuration, as data.

Each line of a table is `path  [Kind][.version][.group]  [create]`; the name-reference table
groups referrer lines under the kind they refer to (`> Kind.version.group`).
These are facts about kustomize's behaviour (its builtinpluginconsts), written in our own form.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.fieldspec import FieldSpec
from fleetops.core.kustomize.resid import Gvk

_WORKLOADS_TEMPLATE = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job")


def _gvk(text: str) -> Gvk:
    if text in ("", "-"):
        return Gvk()
    kind, _, rest = text.partition(".")
    version, _, group = rest.partition(".")
    return Gvk(group, version, kind)


def _table(text: str) -> list[FieldSpec]:
    specs = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        path = parts[0]
        gvk = _gvk(parts[1]) if len(parts) > 1 else Gvk()
        create = len(parts) > 2 and parts[2] == "create"
        specs.append(FieldSpec(path, gvk, create))
    return specs


_POD_TEMPLATE_KINDS = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"]


def _pod_paths(
    suffixes: list[str], *, pod: bool = True, template_kinds: list[str] | None = None, cronjob: bool = True
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if pod:
        rows += [(f"spec/{s}", "Pod") for s in suffixes]
    for kind in template_kinds if template_kinds is not None else _POD_TEMPLATE_KINDS:
        rows += [(f"spec/template/spec/{s}", kind) for s in suffixes]
    if cronjob:
        rows += [(f"spec/jobTemplate/spec/template/spec/{s}", "CronJob") for s in suffixes]
    return rows


@functools.cache
def _tables() -> dict[str, Any]:
    """The built-in tables, computed on first use (keeps `fleetops render` start-up light)."""
    metadata_labels = _metadata_labels()
    return {
        "NAME_PREFIX": _table("metadata/name"),
        "NAME_SUFFIX": _table("metadata/name"),
        "COMMON_LABELS": _selector_specs() + metadata_labels,
        "TEMPLATE_LABELS": [s for s in metadata_labels if s.path != "metadata/labels"],
        "COMMON_ANNOTATIONS": _common_annotations(),
        "NAMESPACE": _namespace(),
        "IMAGES": _images(),
        "REPLICAS": _replicas(),
        "VAR_REFERENCE": _var_reference(),
        "NAME_REFERENCE": _name_reference(),
    }


def _metadata_labels() -> list[FieldSpec]:
    return _table(
        """
    metadata/labels - create
    spec/template/metadata/labels ReplicationController.v1 create
    spec/template/metadata/labels Deployment create
    spec/template/metadata/labels ReplicaSet create
    spec/template/metadata/labels DaemonSet create
    spec/template/metadata/labels StatefulSet..apps create
    spec/volumeClaimTemplates[]/metadata/labels StatefulSet..apps create
    spec/template/metadata/labels Job..batch create
    spec/jobTemplate/metadata/labels CronJob..batch create
    spec/jobTemplate/spec/template/metadata/labels CronJob..batch create
    """
    )


_AFFINITY = [
    "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
]


def _selector_specs() -> list[FieldSpec]:
    specs = _table(
        """
        spec/selector Service.v1 create
        spec/selector ReplicationController.v1 create
        spec/selector/matchLabels Deployment create
        """
    )
    for kind in ("Deployment", "StatefulSet"):
        if kind == "StatefulSet":
            specs += _table(
                "spec/selector/matchLabels ReplicaSet create\n"
                "spec/selector/matchLabels DaemonSet create\n"
                "spec/selector/matchLabels StatefulSet..apps create"
            )
        specs += [FieldSpec(f"spec/template/spec/affinity/{p}", Gvk("apps", "", kind)) for p in _AFFINITY]
        specs.append(
            FieldSpec(
                "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
                Gvk("apps", "", kind),
            )
        )
    specs += _table(
        """
        spec/selector/matchLabels Job..batch
        spec/jobTemplate/spec/selector/matchLabels CronJob..batch
        spec/selector/matchLabels PodDisruptionBudget..policy
        spec/podSelector/matchLabels NetworkPolicy..networking.k8s.io
        spec/ingress/from/podSelector/matchLabels NetworkPolicy..networking.k8s.io
        spec/egress/to/podSelector/matchLabels NetworkPolicy..networking.k8s.io
        """
    )
    return specs


def _common_annotations() -> list[FieldSpec]:
    return _table(
        """
    metadata/annotations - create
    spec/template/metadata/annotations ReplicationController.v1 create
    spec/template/metadata/annotations Deployment create
    spec/template/metadata/annotations ReplicaSet create
    spec/template/metadata/annotations DaemonSet create
    spec/template/metadata/annotations StatefulSet create
    spec/template/metadata/annotations Job..batch create
    spec/jobTemplate/metadata/annotations CronJob..batch create
    spec/jobTemplate/spec/template/metadata/annotations CronJob..batch create
    """
    )


def _namespace() -> list[FieldSpec]:
    return _table(
        """
    metadata/namespace - create
    metadata/name Namespace create
    subjects[]/namespace RoleBinding
    subjects[]/namespace ClusterRoleBinding
    spec/service/namespace APIService..apiregistration.k8s.io create
    spec/conversion/webhook/clientConfig/service/namespace CustomResourceDefinition..apiextensions.k8s.io
    """
    )


def _images() -> list[FieldSpec]:
    return _table(
        """
    spec/containers[]/image - create
    spec/initContainers[]/image - create
    spec/volumes[]/image/reference - create
    spec/template/spec/containers[]/image - create
    spec/template/spec/initContainers[]/image - create
    spec/template/spec/volumes[]/image/reference - create
    """
    )


def _replicas() -> list[FieldSpec]:
    return _table(
        """
    spec/replicas Deployment create
    spec/replicas StatefulSet create
    spec/replicas ReplicaSet create
    spec/replicas ReplicationController create
    """
    )


def _var_reference() -> list[FieldSpec]:
    container = ["args", "command", "env/value", "volumeMounts/mountPath"]
    suffixes = [f"{c}/{s}" for c in ("containers", "initContainers") for s in container] + [
        "volumes/nfs/server"
    ]
    rows = _pod_paths(
        suffixes, template_kinds=["DaemonSet", "Deployment", "Job", "ReplicaSet", "StatefulSet"]
    )
    specs = [
        FieldSpec(path, Gvk(kind=kind))
        for path, kind in rows
        if not (kind == "StatefulSet" and path.endswith("volumes/nfs/server"))
    ]
    specs += _table(
        """
        spec/rules/host Ingress
        spec/tls/hosts Ingress
        spec/tls/secretName Ingress
        spec/ports/port Service
        spec/ports/targetPort Service
        spec/volumeClaimTemplates/spec/nfs/server StatefulSet
        spec/nfs/server PersistentVolume
        spec/jobTemplate/spec/template/volumes/nfs/server CronJob
        metadata/labels
        metadata/annotations
        spec/template/metadata/annotations Deployment
        """
    )
    return specs


@dataclass(frozen=True)
class NameBackReference:
    target: Gvk
    referrers: list[FieldSpec]


def _config_map_like(volume: str, key_ref: str, env_ref: str, projected: str, extra: str) -> list[FieldSpec]:
    suffixes = [
        volume,
        f"containers/env/valueFrom/{key_ref}/name",
        f"initContainers/env/valueFrom/{key_ref}/name",
        f"containers/envFrom/{env_ref}/name",
        f"initContainers/envFrom/{env_ref}/name",
    ]
    if extra:
        suffixes.append(extra)
    suffixes.append(projected)
    specs = [FieldSpec(f"spec/{s}", Gvk("", "v1", "Pod")) for s in suffixes]
    for kind in _POD_TEMPLATE_KINDS:
        specs += [FieldSpec(f"spec/template/spec/{s}", Gvk(kind=kind)) for s in suffixes]
    specs += [FieldSpec(f"spec/jobTemplate/spec/template/spec/{s}", Gvk(kind="CronJob")) for s in suffixes]
    return specs


def _name_reference() -> list[NameBackReference]:
    refs: list[NameBackReference] = []
    for kind in ("Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"):
        refs.append(
            NameBackReference(Gvk(kind=kind), _table("spec/scaleTargetRef/name HorizontalPodAutoscaler"))
        )
    config_map = _config_map_like(
        "volumes/configMap/name",
        "configMapKeyRef",
        "configMapRef",
        "volumes/projected/sources/configMap/name",
        "",
    ) + _table(
        r"""
        spec/configSource/configMap Node
        rules/resourceNames Role
        rules/resourceNames ClusterRole
        metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap Ingress
        spec/template/spec/containers/env/valueFrom/configMapKeyRef/name Service.v1.serving.knative.dev
        spec/template/spec/containers/envFrom/configMapRef/name Service.v1.serving.knative.dev
        """
    )
    refs.append(NameBackReference(Gvk("", "v1", "ConfigMap"), config_map))
    secret = _config_map_like(
        "volumes/secret/secretName",
        "secretKeyRef",
        "secretRef",
        "volumes/projected/sources/secret/name",
        "imagePullSecrets/name",
    ) + _table(
        r"""
        spec/tls/secretName Ingress
        metadata/annotations/ingress.kubernetes.io\/auth-secret Ingress
        metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret Ingress
        metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret Ingress
        imagePullSecrets/name ServiceAccount
        parameters/secretName StorageClass
        parameters/adminSecretName StorageClass
        parameters/userSecretName StorageClass
        parameters/secretRef StorageClass
        rules/resourceNames Role
        rules/resourceNames ClusterRole
        spec/template/spec/containers/env/valueFrom/secretKeyRef/name Service.v1.serving.knative.dev
        spec/azureFile/secretName PersistentVolume
        """
    )
    refs.append(NameBackReference(Gvk("", "v1", "Secret"), secret))
    refs.append(
        NameBackReference(
            Gvk("", "v1", "Service"),
            _table(
                """
        spec/serviceName StatefulSet..apps
        spec/rules/http/paths/backend/serviceName Ingress
        spec/backend/serviceName Ingress
        spec/rules/http/paths/backend/service/name Ingress
        spec/defaultBackend/service/name Ingress
        spec/service/name APIService..apiregistration.k8s.io
        webhooks/clientConfig/service ValidatingWebhookConfiguration..admissionregistration.k8s.io
        webhooks/clientConfig/service MutatingWebhookConfiguration..admissionregistration.k8s.io
        """
            ),
        )
    )
    refs.append(
        NameBackReference(
            Gvk("rbac.authorization.k8s.io", "", "Role"),
            _table("roleRef/name RoleBinding..rbac.authorization.k8s.io"),
        )
    )
    refs.append(
        NameBackReference(
            Gvk("rbac.authorization.k8s.io", "", "ClusterRole"),
            _table(
                "roleRef/name RoleBinding..rbac.authorization.k8s.io\n"
                "roleRef/name ClusterRoleBinding..rbac.authorization.k8s.io"
            ),
        )
    )
    service_account = _table(
        """
        subjects RoleBinding..rbac.authorization.k8s.io
        subjects ClusterRoleBinding..rbac.authorization.k8s.io
        spec/serviceAccountName Pod
        spec/template/spec/serviceAccountName StatefulSet
        spec/template/spec/serviceAccountName Deployment
        spec/template/spec/serviceAccountName ReplicationController
        spec/jobTemplate/spec/template/spec/serviceAccountName CronJob
        spec/template/spec/serviceAccountName Job
        spec/template/spec/serviceAccountName DaemonSet
        """
    )
    refs.append(NameBackReference(Gvk("", "v1", "ServiceAccount"), service_account))
    for target, leaf in (
        (Gvk("", "v1", "PersistentVolumeClaim"), "volumes/persistentVolumeClaim/claimName"),
        (Gvk("scheduling.k8s.io", "v1", "PriorityClass"), "priorityClassName"),
    ):
        specs = [FieldSpec(f"spec/{leaf}", Gvk(kind="Pod"))]
        for kind in ("StatefulSet", "Deployment", "ReplicationController"):
            specs.append(FieldSpec(f"spec/template/spec/{leaf}", Gvk(kind=kind)))
        specs.append(FieldSpec(f"spec/jobTemplate/spec/template/spec/{leaf}", Gvk(kind="CronJob")))
        for kind in ("Job", "DaemonSet"):
            specs.append(FieldSpec(f"spec/template/spec/{leaf}", Gvk(kind=kind)))
        refs.append(NameBackReference(target, specs))
        if target.kind == "PersistentVolumeClaim":
            refs.append(
                NameBackReference(
                    Gvk("", "v1", "PersistentVolume"),
                    _table("spec/volumeName PersistentVolumeClaim\nrules/resourceNames ClusterRole"),
                )
            )
            refs.append(
                NameBackReference(
                    Gvk("storage.k8s.io", "v1", "StorageClass"),
                    _table(
                        """
                spec/storageClassName PersistentVolume
                spec/storageClassName PersistentVolumeClaim
                spec/volumeClaimTemplates/spec/storageClassName StatefulSet
                """
                    ),
                )
            )
    refs.append(
        NameBackReference(
            Gvk("admissionregistration.k8s.io", "", "ValidatingAdmissionPolicy"),
            _table("spec/policyName ValidatingAdmissionPolicyBinding..admissionregistration.k8s.io"),
        )
    )
    # kustomize's table spells this group "networking.k8s.io/v1", so it never matches; kept as is.
    refs.append(
        NameBackReference(
            Gvk("networking.k8s.io/v1", "v1", "IngressClass"), _table("spec/ingressClassName Ingress")
        )
    )
    return refs


@dataclass
class TransformerConfig:
    """The field specs transformers use; a kustomization's `configurations` and `crds` extend them."""

    name_prefix: list[FieldSpec] = field(default_factory=list)
    name_suffix: list[FieldSpec] = field(default_factory=list)
    namespace: list[FieldSpec] = field(default_factory=list)
    common_labels: list[FieldSpec] = field(default_factory=list)
    labels: list[FieldSpec] = field(default_factory=list)
    template_labels: list[FieldSpec] = field(default_factory=list)
    common_annotations: list[FieldSpec] = field(default_factory=list)
    name_reference: list[NameBackReference] = field(default_factory=list)
    var_reference: list[FieldSpec] = field(default_factory=list)
    images: list[FieldSpec] = field(default_factory=list)
    replicas: list[FieldSpec] = field(default_factory=list)

    @staticmethod
    def default() -> TransformerConfig:
        tables = _tables()
        return TransformerConfig(
            name_prefix=list(tables["NAME_PREFIX"]),
            name_suffix=list(tables["NAME_SUFFIX"]),
            namespace=list(tables["NAMESPACE"]),
            common_labels=list(tables["COMMON_LABELS"]),
            template_labels=list(tables["TEMPLATE_LABELS"]),
            common_annotations=list(tables["COMMON_ANNOTATIONS"]),
            name_reference=[NameBackReference(r.target, list(r.referrers)) for r in tables["NAME_REFERENCE"]],
            var_reference=list(tables["VAR_REFERENCE"]),
            images=list(tables["IMAGES"]),
            replicas=list(tables["REPLICAS"]),
        )

    def merge(self, other: TransformerConfig) -> None:
        for name in (
            "name_prefix",
            "name_suffix",
            "namespace",
            "common_labels",
            "labels",
            "template_labels",
            "common_annotations",
            "var_reference",
            "images",
            "replicas",
        ):
            mine: list[FieldSpec] = getattr(self, name)
            for spec in getattr(other, name):
                merge_field_spec(mine, spec)
        for ref in other.name_reference:
            for existing in self.name_reference:
                if existing.target == ref.target:
                    for spec in ref.referrers:
                        merge_field_spec(existing.referrers, spec)
                    break
            else:
                self.name_reference.append(NameBackReference(ref.target, list(ref.referrers)))

    @staticmethod
    def from_dict(data: dict[str, Any]) -> TransformerConfig:
        def specs(key: str) -> list[FieldSpec]:
            return [FieldSpec.from_dict(item) for item in data.get(key) or [] if isinstance(item, dict)]

        refs = []
        for item in data.get("nameReference") or []:
            target = Gvk(
                str(item.get("group") or ""), str(item.get("version") or ""), str(item.get("kind") or "")
            )
            referrers = [FieldSpec.from_dict(s) for s in item.get("fieldSpecs") or []]
            refs.append(NameBackReference(target, referrers))
        return TransformerConfig(
            name_prefix=specs("namePrefix"),
            name_suffix=specs("nameSuffix"),
            namespace=specs("namespace"),
            common_labels=specs("commonLabels"),
            labels=specs("labels"),
            template_labels=specs("templateLabels"),
            common_annotations=specs("commonAnnotations"),
            name_reference=refs,
            var_reference=specs("varReference"),
            images=specs("images"),
            replicas=specs("replicas"),
        )


def merge_field_spec(specs: list[FieldSpec], spec: FieldSpec) -> None:
    """Add `spec` unless a spec for the same path whose GVK `spec` selects is already there
    (kustomize's FsSlice.MergeOne: a custom `kind: Foo` spec shadows a later generic one)."""
    for existing in specs:
        if existing.path == spec.path and existing.gvk.selected_by(spec.gvk):
            return
    specs.append(spec)
