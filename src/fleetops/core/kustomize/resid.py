"""Resource identity as kustomize prints and compares it (`Deployment.v1.apps/web.prod`)."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of the built-in Kubernetes 1.21 API that are cluster-scoped, by (group, kind).
_CLUSTER_SCOPED = frozenset(
    [
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("node.k8s.io", "RuntimeClass"),
        ("policy", "PodSecurityPolicy"),
        ("networking.k8s.io", "IngressClass"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("authentication.k8s.io", "TokenReview"),
        ("authorization.k8s.io", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "SelfSubjectRulesReview"),
        ("authorization.k8s.io", "SubjectAccessReview"),
    ]
)


@dataclass(frozen=True)
class Gvk:
    group: str = ""
    version: str = ""
    kind: str = ""

    @staticmethod
    def from_api_version(api_version: str, kind: str) -> Gvk:
        group, _, version = api_version.rpartition("/")
        return Gvk(group, version, kind)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def cluster_scoped(self) -> bool:
        return (self.group, self.kind) in _CLUSTER_SCOPED

    def selected_by(self, selector: Gvk) -> bool:
        """kustomize's IsSelected: empty selector fields are wildcards."""
        return (
            (not selector.group or selector.group == self.group)
            and (not selector.version or selector.version == self.version)
            and (not selector.kind or selector.kind == self.kind)
        )

    def __str__(self) -> str:
        return f"{self.kind or '[noKind]'}.{self.version or '[noVer]'}.{self.group or '[noGrp]'}"


@dataclass(frozen=True)
class ResId:
    gvk: Gvk
    name: str
    namespace: str = ""

    def ns_equals(self, other: ResId) -> bool:
        return self.effective_namespace == other.effective_namespace

    @property
    def effective_namespace(self) -> str:
        if self.gvk.cluster_scoped:
            return "_non_namespaceable_"
        return self.namespace or "default"

    def equals(self, other: ResId) -> bool:
        """kustomize's ResId.Equals: same GVK, name, and (effective) namespace."""
        return self.gvk == other.gvk and self.name == other.name and self.ns_equals(other)

    def __str__(self) -> str:
        return f"{self.gvk}/{self.name}.{self.namespace or '[noNs]'}"
