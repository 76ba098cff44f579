"""An Application's desired and live state computed by the CLI itself — the same stages the
controller runs (fetch, render, place, watch live, compare), without writing anything:
`fleetops app diff` and `fleetops app manifests` need no controller.

Repository URLs are rewritten as the hub says (`fleetops-cm` `url.rewrites`, plus `--rewrite`),
and credentials come from the hub's repository Secrets."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import WatchCache
from fleetops.cli.apps.destination import destination_client
from fleetops.cli.apps.errors import CliError
from fleetops.cli.apps.hub import Hub
from fleetops.core import app as applications
from fleetops.core.diff import TAKEOVER_MANAGERS, ComparisonResult, IgnoreRules, compare_app
from fleetops.core.rendercache import RenderCache
from fleetops.core.schema import KubeSchema, load_schema
from fleetops.core.sync import instance_name
from fleetops.engine.desired import desired_objects
from fleetops.engine.live import kinds_of, live_objects, watch_kinds
from fleetops.engine.render_stage import RenderError, render
from fleetops.model import GroupKind
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import UnknownKind


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / "fleetops" / "cli-git"


async def git_source(hub: Hub, rewrites: Mapping[str, str] | None = None) -> PygitSource:
    rules = {**await hub.url_rewrites(), **dict(rewrites or {})}
    secrets = [*await hub.secrets("repository"), *await hub.secrets("repo-creds")]
    return PygitSource(cache_dir(), rewrites=rules, repo_secrets=secrets)


@dataclass(frozen=True)
class Desired:
    revision: str
    objects: list[Manifest]


async def desired_state(
    hub: Hub, app: Mapping[str, Any], git: PygitSource, *, revision: str = "", schema: KubeSchema
) -> Desired:
    """The objects the application's source renders to at `revision` (default: its target)."""
    source = applications.primary_source(app)
    if not source:
        raise CliError("the application has no source", 2)
    if applications.has_multiple_sources(app):
        raise CliError("multi-source applications cannot be rendered by the CLI yet", 2)
    repo = applications.repo_url(source)
    await git.fetch(repo)
    sha = await git.resolve(repo, revision or applications.target_revision(source))
    metadata = app.get("metadata", {})
    try:
        rendered = render(source, git.tree(repo, sha), cache=RenderCache(), cache_key="cli", commit=sha)
    except RenderError as error:
        raise CliError(f"cannot render {repo} at {sha[:7]}: {error}", 2) from None
    instance = instance_name(str(metadata.get("name", "")), str(metadata.get("namespace", "")), hub.namespace)
    destination = applications.destination(app)

    def is_namespaced(kind: GroupKind) -> bool | None:
        return schema.is_namespaced(kind)

    placed = desired_objects(
        rendered.manifests, instance=instance, namespace=destination.namespace, is_namespaced=is_namespaced
    )
    return Desired(sha, placed)


async def live_state(
    hub: Hub, app: Mapping[str, Any], desired: list[Manifest]
) -> dict[ResourceKey, Manifest]:
    """The live objects the application tracks and the live copies of its desired objects."""
    metadata = app.get("metadata", {})
    instance = instance_name(str(metadata.get("name", "")), str(metadata.get("namespace", "")), hub.namespace)
    status = app.get("status") or {}
    previous = kinds_of([], [e for e in status.get("resources") or () if isinstance(e, Mapping)])
    client = await destination_client(hub, app)
    try:
        async with WatchCache(client) as cache:
            try:
                await watch_kinds(cache, desired, previous)
            except UnknownKind as error:
                raise CliError(f"cannot load the live state: {error}", 2) from None
            return live_objects(cache, instance, desired)
    finally:
        await client.close()


async def compare(
    hub: Hub, app: Mapping[str, Any], rewrites: Mapping[str, str], *, revision: str = ""
) -> tuple[Desired, ComparisonResult]:
    schema = load_schema()
    git = await git_source(hub, rewrites)
    desired = await desired_state(hub, app, git, revision=revision, schema=schema)
    live = await live_state(hub, app, desired.objects)
    try:
        ignore = IgnoreRules.from_application(applications.ignore_differences(app))
        policy = applications.sync_policy(app)
    except (ValueError, applications.SpecError) as error:
        raise CliError(str(error), 2) from None
    comparison = compare_app(
        desired.objects,
        live,
        schema=schema,
        ignore=ignore,
        respect_ignore=policy.options.respect_ignore_differences,
        namespace=applications.destination(app).namespace,
        takeover=TAKEOVER_MANAGERS,
    )
    return desired, comparison
