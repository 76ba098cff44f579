"""Short names and categories of built-in resources: no package carries them, so a small table.

Source: the `ShortNames()` and `Categories()` methods of the REST storage of each built-in
resource in kubernetes/kubernetes (`pkg/registry/**/storage/storage.go`), as listed by
`kubectl api-resources` against a Kubernetes 1.3x API server. Keyed by (group, plural).
"""

from __future__ import annotations

_SHORT_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "componentstatuses"): ("cs",),
    ("", "configmaps"): ("cm",),
    ("", "endpoints"): ("ep",),
    ("", "events"): ("ev",),
    ("", "limitranges"): ("limits",),
    ("", "namespaces"): ("ns",),
    ("", "nodes"): ("no",),
    ("", "persistentvolumeclaims"): ("pvc",),
    ("", "persistentvolumes"): ("pv",),
    ("", "pods"): ("po",),
    ("", "replicationcontrollers"): ("rc",),
    ("", "resourcequotas"): ("quota",),
    ("", "serviceaccounts"): ("sa",),
    ("", "services"): ("svc",),
    ("apiextensions.k8s.io", "customresourcedefinitions"): ("crd", "crds"),
    ("apps", "daemonsets"): ("ds",),
    ("apps", "deployments"): ("deploy",),
    ("apps", "replicasets"): ("rs",),
    ("apps", "statefulsets"): ("sts",),
    ("autoscaling", "horizontalpodautoscalers"): ("hpa",),
    ("batch", "cronjobs"): ("cj",),
    ("certificates.k8s.io", "certificatesigningrequests"): ("csr",),
    ("events.k8s.io", "events"): ("ev",),
    ("networking.k8s.io", "ingresses"): ("ing",),
    ("networking.k8s.io", "networkpolicies"): ("netpol",),
    ("policy", "poddisruptionbudgets"): ("pdb",),
    ("policy", "podsecuritypolicies"): ("psp",),
    ("scheduling.k8s.io", "priorityclasses"): ("pc",),
    ("storage.k8s.io", "storageclasses"): ("sc",),
}

_ALL = ("all",)
_API_EXTENSIONS = ("api-extensions",)

_CATEGORIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "pods"): _ALL,
    ("", "replicationcontrollers"): _ALL,
    ("", "services"): _ALL,
    ("apps", "daemonsets"): _ALL,
    ("apps", "deployments"): _ALL,
    ("apps", "replicasets"): _ALL,
    ("apps", "statefulsets"): _ALL,
    ("autoscaling", "horizontalpodautoscalers"): _ALL,
    ("batch", "cronjobs"): _ALL,
    ("batch", "jobs"): _ALL,
    ("admissionregistration.k8s.io", "mutatingadmissionpolicies"): _API_EXTENSIONS,
    ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings"): _API_EXTENSIONS,
    ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"): _API_EXTENSIONS,
    ("admissionregistration.k8s.io", "validatingadmissionpolicies"): _API_EXTENSIONS,
    ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"): _API_EXTENSIONS,
    ("admissionregistration.k8s.io", "validatingwebhookconfigurations"): _API_EXTENSIONS,
    ("apiextensions.k8s.io", "customresourcedefinitions"): _API_EXTENSIONS,
    ("apiregistration.k8s.io", "apiservices"): _API_EXTENSIONS,
}


def short_names_for(group: str, plural: str) -> tuple[str, ...]:
    return _SHORT_NAMES.get((group, plural), ())


def categories_for(group: str, plural: str) -> tuple[str, ...]:
    return _CATEGORIES.get((group, plural), ())
