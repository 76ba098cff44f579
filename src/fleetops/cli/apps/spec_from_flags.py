"""An Application manifest from `fleetops app create` flags, or the documents of `-f FILE`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fleetops.cli.apps.errors import CliError
from fleetops.model.manifest import Manifest


@dataclass(frozen=True)
class AppFlags:
    name: str
    repo: str
    path: str = ""
    revision: str = ""
    dest_server: str = ""
    dest_name: str = ""
    dest_namespace: str = ""
    project: str = "default"
    sync_policy: str = ""
    self_heal: bool = False
    auto_prune: bool = False
    allow_empty: bool = False
    sync_options: Sequence[str] = field(default_factory=tuple)
    labels: Sequence[str] = field(default_factory=tuple)


def from_flags(flags: AppFlags, namespace: str) -> Manifest:
    if not flags.repo:
        raise CliError("--repo is required (or give -f FILE)", 2)
    if bool(flags.dest_server) == bool(flags.dest_name):
        raise CliError("give exactly one of --dest-server and --dest-name", 2)
    source: dict[str, Any] = {"repoURL": flags.repo}
    if flags.path:
        source["path"] = flags.path
    if flags.revision:
        source["targetRevision"] = flags.revision
    destination: dict[str, Any] = (
        {"server": flags.dest_server} if flags.dest_server else {"name": flags.dest_name}
    )
    if flags.dest_namespace:
        destination["namespace"] = flags.dest_namespace
    spec: dict[str, Any] = {"project": flags.project, "source": source, "destination": destination}
    policy: dict[str, Any] = {}
    if flags.sync_policy in ("automated", "auto", "automatic"):
        automated: dict[str, Any] = {}
        if flags.auto_prune:
            automated["prune"] = True
        if flags.self_heal:
            automated["selfHeal"] = True
        if flags.allow_empty:
            automated["allowEmpty"] = True
        policy["automated"] = automated
    elif flags.sync_policy not in ("", "none", "manual"):
        raise CliError(f"--sync-policy must be automated or none, not {flags.sync_policy!r}", 2)
    elif flags.auto_prune or flags.self_heal:
        raise CliError("--auto-prune and --self-heal need --sync-policy automated", 2)
    if flags.sync_options:
        policy["syncOptions"] = list(flags.sync_options)
    if policy:
        spec["syncPolicy"] = policy
    metadata: dict[str, Any] = {"name": flags.name, "namespace": namespace}
    if flags.labels:
        metadata["labels"] = dict(_pair(item) for item in flags.labels)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": metadata, "spec": spec}


def _pair(text: str) -> tuple[str, str]:
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise CliError(f"a label is KEY=VALUE, not {text!r}", 2)
    return key, value


def from_file(path: Path, namespace: str) -> list[Manifest]:
    """The Applications in a YAML file (`-` reads stdin); the namespace defaults to the hub's."""
    import sys  # noqa: PLC0415

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text()
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror}", 2) from None
    except yaml.YAMLError as error:
        raise CliError(f"{path}: not valid YAML: {error}", 2) from None
    apps: list[Manifest] = []
    for document in documents:
        if not isinstance(document, dict) or document.get("kind") != "Application":
            raise CliError(f"{path}: every document must be an argoproj.io Application", 2)
        metadata = document.setdefault("metadata", {})
        metadata.setdefault("namespace", namespace)
        apps.append(document)
    if not apps:
        raise CliError(f"{path}: no Application found", 2)
    return apps
