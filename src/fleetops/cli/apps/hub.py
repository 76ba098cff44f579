"""The hub as the CLI sees it (like `argocd --core`): a kubeconfig context, the control-plane
namespace, and the Argo CD objects kept there (Applications, cluster and repository Secrets).

The namespace is `-n/--namespace`, else the context's namespace, else `fleetops`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.adapters.kube import HttpKubeClient
from fleetops.cli.apps.errors import CliError
from fleetops.cli.apps.options import HubTarget
from fleetops.core.app.kinds import APPLICATION
from fleetops.model import GroupVersionKind
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import NotFound

SECRET = GroupVersionKind("", "v1", "Secret")
CONFIG_MAP = GroupVersionKind("", "v1", "ConfigMap")
SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
SETTINGS_CONFIG_MAP = "fleetops-cm"
"""The hub's settings ConfigMap (like Argo CD's `argocd-cm`); `url.rewrites` holds `FROM=TO`
lines (the repository URL rewriting the hub uses), read by the commands that fetch or push."""
REWRITES_KEY = "url.rewrites"
CLI_MANAGER = "fleetops-cli"
REFRESH_ANNOTATION = "argocd.argoproj.io/refresh"


class Hub:
    """An open connection to the hub: `async with Hub.open(target) as hub: ...`."""

    def __init__(self, client: HttpKubeClient, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    @classmethod
    def open(cls, target: HubTarget) -> Hub:
        config, namespace = target.resolve()
        return cls(HttpKubeClient(config), namespace)

    async def __aenter__(self) -> Hub:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()

    # -- Applications -------------------------------------------------------------------------

    async def apps(self, selector: str = "") -> list[Manifest]:
        listed = await self.client.list(APPLICATION, self.namespace, label_selector=selector)
        return sorted(listed.items, key=lambda app: str(app.get("metadata", {}).get("name", "")))

    async def app(self, name: str) -> Manifest:
        try:
            return await self.client.get(APPLICATION, name, self.namespace)
        except NotFound:
            raise CliError(f'application "{name}" not found in namespace "{self.namespace}"') from None

    async def patch_app(self, name: str, patch: Mapping[str, Any]) -> Manifest:
        try:
            return await self.client.patch(APPLICATION, name, dict(patch), self.namespace)
        except NotFound:
            raise CliError(f'application "{name}" not found in namespace "{self.namespace}"') from None

    async def refresh(self, name: str, mode: str = "normal") -> Manifest:
        """Ask the controller to fetch and compare again (Argo CD's refresh annotation). Written
        as a change even when the annotation is still there from an earlier request."""
        current = await self.app(name)
        if REFRESH_ANNOTATION in (current.get("metadata", {}).get("annotations") or {}):
            await self.patch_app(name, {"metadata": {"annotations": {REFRESH_ANNOTATION: None}}})
        return await self.patch_app(name, {"metadata": {"annotations": {REFRESH_ANNOTATION: mode}}})

    # -- Secrets and settings -----------------------------------------------------------------

    async def secrets(self, secret_type: str) -> list[Manifest]:
        listed = await self.client.list(
            SECRET, self.namespace, label_selector=f"{SECRET_TYPE_LABEL}={secret_type}"
        )
        return list(listed.items)

    async def apply(self, obj: Manifest) -> Manifest:
        return await self.client.apply(obj, field_manager=CLI_MANAGER, force=True)

    async def url_rewrites(self) -> dict[str, str]:
        """The hub's repository URL rewriting (`fleetops-cm` `url.rewrites`), {} without it."""
        try:
            settings = await self.client.get(CONFIG_MAP, SETTINGS_CONFIG_MAP, self.namespace)
        except NotFound:
            return {}
        return parse_rewrites(str((settings.get("data") or {}).get(REWRITES_KEY, "")).splitlines())


def parse_rewrites(lines: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`FROM=TO` lines (blank lines and `#` comments skipped) as a mapping."""
    rules: dict[str, str] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        source, separator, target = text.partition("=")
        if not separator or not source.strip() or not target.strip():
            raise CliError(f"a URL rewrite is FROM=TO, not {text!r}", code=2)
        rules[source.strip()] = target.strip()
    return rules
