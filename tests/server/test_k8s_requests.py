"""argocd_app_k8s_request_total labels from request paths."""

from __future__ import annotations

import pytest

from fleetops.controller.metrics import Metrics
from fleetops.server.k8s_requests import parse_path, request_observer


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/apis/apps/v1/namespaces/payments/deployments/payment-service", ("Deployment", "payments")),
        ("/api/v1/namespaces/x/configmaps?watch=true", ("ConfigMap", "x")),
        ("/api/v1/namespaces/foo", ("Namespace", "")),
        (
            "/apis/argoproj.io/v1alpha1/namespaces/fleetops/applications/a/status",
            ("applications", "fleetops"),
        ),
        ("/api", ("", "")),
        ("/version", ("", "")),
    ],
)
def test_parse_path(path: str, expected: tuple[str, str]) -> None:
    assert parse_path(path) == expected


def test_requests_are_counted_with_argo_labels() -> None:
    metrics = Metrics()
    observe = request_observer(metrics, "https://spoke")
    observe("PATCH", "/apis/apps/v1/namespaces/payments/deployments/payment-service", 200)
    observe("GET", "/version", 200)
    text = metrics.render().decode()
    lines = [line for line in text.splitlines() if line.startswith("argocd_app_k8s_request_total{")]
    assert len(lines) == 1
    assert 'verb="Patch"' in lines[0] and 'resource_kind="Deployment"' in lines[0]
    assert 'server="https://spoke"' in lines[0] and 'response_code="200"' in lines[0]
