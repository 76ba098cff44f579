"""IgnoreRules from an Application's spec.ignoreDifferences and from argocd-cm settings."""

from __future__ import annotations

import re

import pytest
import yaml

from fleetops.core.diff import IgnoreRule, IgnoreRules, InvalidIgnoreRuleError
from fleetops.model.keys import ResourceKey

APPLICATION = yaml.safe_load(
    """
ignoreDifferences:
- group: apps
  kind: Deployment
  jsonPointers: [/spec/replicas]
- kind: ConfigMap
  name: generated
  namespace: shop
  jqPathExpressions: [.data.checksum]
- group: "*"
  kind: "*"
  managedFieldsManagers: [kube-controller-manager]
"""
)["ignoreDifferences"]

SETTINGS = {
    "resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration": (
        "jqPathExpressions:\n- '.webhooks[]?.clientConfig.caBundle'\n"
    ),
    "resource.customizations.ignoreDifferences.Service": "jsonPointers:\n- /spec/clusterIP\n",
    "resource.customizations.ignoreDifferences.all": "managedFieldsManagers:\n- istio-sidecar-injector\n",
    "resource.customizations.health.apps_Deployment": "ignored: true",
    "url": "https://argocd.example.com",
}


@pytest.mark.parametrize(
    ("key", "pointers", "jq", "managers"),
    [
        (
            ResourceKey("apps", "Deployment", "shop", "web"),
            ("/spec/replicas",),
            (),
            ("kube-controller-manager",),
        ),
        (
            ResourceKey("", "ConfigMap", "shop", "generated"),
            (),
            (".data.checksum",),
            ("kube-controller-manager",),
        ),
        (ResourceKey("", "ConfigMap", "other", "generated"), (), (), ("kube-controller-manager",)),
        (ResourceKey("", "ConfigMap", "shop", "settings"), (), (), ("kube-controller-manager",)),
    ],
)
def test_application_rules_select_by_group_kind_name_namespace(
    key: ResourceKey, pointers: tuple[str, ...], jq: tuple[str, ...], managers: tuple[str, ...]
) -> None:
    rules = IgnoreRules.from_application(APPLICATION).for_resource(key)
    assert (rules.json_pointers, rules.jq_path_expressions, rules.managed_fields_managers) == (
        pointers,
        jq,
        managers,
    )


def test_settings_rules_by_group_kind_and_all() -> None:
    rules = IgnoreRules.from_settings(SETTINGS)
    webhook = rules.for_resource(
        ResourceKey("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "", "x")
    )
    assert webhook.jq_path_expressions == (".webhooks[]?.clientConfig.caBundle",)
    assert webhook.managed_fields_managers == ("istio-sidecar-injector",)
    service = rules.for_resource(ResourceKey("", "Service", "shop", "web"))
    assert service.json_pointers == ("/spec/clusterIP",)
    deployment = rules.for_resource(ResourceKey("apps", "Deployment", "shop", "web"))
    assert (deployment.json_pointers, deployment.managed_fields_managers) == ((), ("istio-sidecar-injector",))


def test_application_and_system_rules_combine() -> None:
    rules = IgnoreRules.from_application(APPLICATION) + IgnoreRules.from_settings(SETTINGS)
    service = rules.for_resource(ResourceKey("", "Service", "shop", "web"))
    assert service.json_pointers == ("/spec/clusterIP",)
    assert service.managed_fields_managers == ("kube-controller-manager", "istio-sidecar-injector")


def test_nothing_is_ignored_unless_configured() -> None:
    assert not IgnoreRules.from_application(None)
    assert not IgnoreRules.from_settings({}).for_resource(ResourceKey("apps", "Deployment", "a", "b"))


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"kind": "Deployment", "jsonPointers": ["spec/replicas"]}], "a JSON pointer starts with '/'"),
        ([{"kind": "Deployment", "jsonPointers": ["/a~2b"]}], "'~' must be followed by 0 or 1"),
        ([{"kind": "Deployment", "jqPathExpressions": [".spec | | ."]}], "jqPathExpressions"),
        (
            [{"kind": "Deployment", "jsonPointers": "/spec"}],
            "ignoreDifferences[0].jsonPointers: must be a list",
        ),
        ([{"kind": 3}], "ignoreDifferences[0].kind: must be a string"),
        (["Deployment"], "ignoreDifferences[0]: must be an object"),
        ({"kind": "Deployment"}, "ignoreDifferences: must be a list"),
    ],
)
def test_invalid_rules_are_errors(entries: object, message: str) -> None:
    with pytest.raises(InvalidIgnoreRuleError, match=re.escape(message)):
        IgnoreRules.from_application(entries)


def test_invalid_settings_are_errors() -> None:
    with pytest.raises(InvalidIgnoreRuleError, match=r"ignoreDifferences\.all"):
        IgnoreRules.from_settings({"resource.customizations.ignoreDifferences.all": "- not a map"})


def test_rules_are_plain_values() -> None:
    rule = IgnoreRule(group="apps", kind="Deployment", json_pointers=("/spec/replicas",))
    assert rule == IgnoreRule.from_struct(
        {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
    )
    assert hash(rule) == hash(IgnoreRule(group="apps", kind="Deployment", json_pointers=("/spec/replicas",)))
