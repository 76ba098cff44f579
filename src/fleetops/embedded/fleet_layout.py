"""The sample fleet of embedded mode, as the seed article describes it: a hub, five spokes
labelled by environment and region, three applications and their namespaces."""

from __future__ import annotations

from dataclasses import dataclass

HUB = "hub"
CONTROL_NAMESPACE = "fleetops"
SEED_REPO_URL = "https://github.com/org/gitops-config"
REPO_PATH = "org/gitops-config.git"
"""Where the sample repository is served on the local Git server."""


@dataclass(frozen=True)
class Spoke:
    name: str
    environment: str
    region: str

    @property
    def overlay(self) -> str | None:
        """The overlay its applications use (None: no applications, only the cluster's base)."""
        return {"staging": "staging", "production": "production"}.get(self.environment)

    @property
    def labels(self) -> dict[str, str]:
        return {"environment": self.environment, "region": self.region}


SPOKES = (
    Spoke("dev", "development", "us-east-1"),
    Spoke("staging", "staging", "us-east-1"),
    Spoke("prod-us-east-1", "production", "us-east-1"),
    Spoke("prod-us-west-2", "production", "us-west-2"),
    Spoke("prod-eu-west-1", "production", "eu-west-1"),
)

APPS = {
    "payment-service": "payments",
    "auth-service": "auth",
    "notification-service": "notifications",
}
"""Application -> the namespace it runs in."""

SEED_APPLICATION = "payment-service"
"""The seed's application.yaml (production overlay, destination: the hub itself)."""

PLATFORM_APPSET = "platform-services"
"""The seed's ApplicationSet (its clusters generator selects `environment: production`)."""
