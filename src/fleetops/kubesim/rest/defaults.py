"""Built-in defaulting: the fields a real API server fills in, so live objects look as they would.

Only the defaults of the most common kinds are implemented (those that show up in `kubectl get -o
yaml` of workloads, Services, Secrets and Namespaces); anything else is stored as sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Manifest = dict[str, Any]


def _set(mapping: Manifest, key: str, value: Any) -> None:
    if mapping.get(key) is None:
        mapping[key] = value


def _container(container: Manifest) -> None:
    _set(container, "terminationMessagePath", "/dev/termination-log")
    _set(container, "terminationMessagePolicy", "File")
    image = str(container.get("image") or "")
    tag = image.rsplit("/", 1)[-1]
    latest = "@" not in tag and (":" not in tag or tag.endswith(":latest"))
    _set(container, "imagePullPolicy", "Always" if latest else "IfNotPresent")
    _set(container, "resources", {})
    for port in container.get("ports") or []:
        if isinstance(port, dict):
            _set(port, "protocol", "TCP")


def pod_spec(spec: Manifest) -> None:
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            if isinstance(container, dict):
                _container(container)
    _set(spec, "restartPolicy", "Always")
    _set(spec, "terminationGracePeriodSeconds", 30)
    _set(spec, "dnsPolicy", "ClusterFirst")
    _set(spec, "securityContext", {})
    _set(spec, "schedulerName", "default-scheduler")


def _template(spec: Manifest) -> None:
    template = spec.get("template")
    if isinstance(template, dict):
        template.setdefault("metadata", {})
        if isinstance(template.get("spec"), dict):
            pod_spec(template["spec"])


def _deployment(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "replicas", 1)
    _set(spec, "revisionHistoryLimit", 10)
    _set(spec, "progressDeadlineSeconds", 600)
    strategy = spec.setdefault("strategy", {})
    _set(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        _set(rolling, "maxSurge", "25%")
        _set(rolling, "maxUnavailable", "25%")
    _template(spec)


def _replica_set(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "replicas", 1)
    _template(spec)


def _stateful_set(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "replicas", 1)
    _set(spec, "podManagementPolicy", "OrderedReady")
    _set(spec, "revisionHistoryLimit", 10)
    _set(spec, "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    _set(spec, "persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Retain", "whenScaled": "Retain"})
    _template(spec)


def _daemon_set(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "revisionHistoryLimit", 10)
    _set(
        spec,
        "updateStrategy",
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
    )
    _template(spec)


def _job(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "backoffLimit", 6)
    _set(spec, "completions", 1)
    _set(spec, "parallelism", 1)
    _set(spec, "completionMode", "NonIndexed")
    _set(spec, "suspend", False)
    _template(spec)


_DEFAULT_TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]


def _pod(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    pod_spec(spec)
    _set(spec, "serviceAccountName", "default")
    tolerations = spec.setdefault("tolerations", [])
    if isinstance(tolerations, list):
        # The DefaultTolerationSeconds admission plugin.
        present = {t.get("key") for t in tolerations if isinstance(t, dict)}
        tolerations.extend(dict(t) for t in _DEFAULT_TOLERATIONS if t["key"] not in present)
    _set(spec, "enableServiceLinks", True)
    _set(spec, "preemptionPolicy", "PreemptLowerPriority")
    _set(spec, "priority", 0)


def _service(obj: Manifest) -> None:
    spec = obj.setdefault("spec", {})
    _set(spec, "type", "ClusterIP")
    _set(spec, "sessionAffinity", "None")
    if spec["type"] != "ExternalName":
        _set(spec, "ipFamilies", ["IPv4"])
        _set(spec, "ipFamilyPolicy", "SingleStack")
        _set(spec, "internalTrafficPolicy", "Cluster")
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            _set(port, "protocol", "TCP")
            _set(port, "targetPort", port.get("port"))


def _secret(obj: Manifest) -> None:
    _set(obj, "type", "Opaque")


def _namespace(obj: Manifest) -> None:
    name = str((obj.get("metadata") or {}).get("name") or "")
    labels = obj["metadata"].setdefault("labels", {})
    labels["kubernetes.io/metadata.name"] = name
    spec = obj.setdefault("spec", {})
    _set(spec, "finalizers", ["kubernetes"])
    status = obj.setdefault("status", {})
    _set(status, "phase", "Active")


_DEFAULTERS: dict[tuple[str, str], Callable[[Manifest], None]] = {
    ("apps", "Deployment"): _deployment,
    ("apps", "ReplicaSet"): _replica_set,
    ("apps", "StatefulSet"): _stateful_set,
    ("apps", "DaemonSet"): _daemon_set,
    ("batch", "Job"): _job,
    ("", "Pod"): _pod,
    ("", "Service"): _service,
    ("", "Secret"): _secret,
    ("", "Namespace"): _namespace,
}


def apply_defaults(obj: Manifest, group: str, kind: str) -> None:
    """Fill in the defaults of a built-in kind, in place."""
    defaulter = _DEFAULTERS.get((group, kind))
    if defaulter is not None:
        defaulter(obj)
