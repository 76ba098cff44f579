"""The `operation` a manual sync writes on an Application (Argo CD's `SyncOperation`)."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from typing import Any

from fleetops.cli.apps.errors import CliError
from fleetops.core import app as applications


def parse_resource(text: str) -> dict[str, str]:
    """`GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME` (as `argocd app sync --resource`)."""
    parts = text.split(":")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        raise CliError(f"--resource must be GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME, not {text!r}", 2)
    group, kind, rest = parts
    namespace, _, name = rest.rpartition("/")
    out = {"group": group, "kind": kind, "name": name}
    if namespace:
        out["namespace"] = namespace
    return out


def username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "fleetops-cli"


def sync_operation(
    *,
    revision: str = "",
    prune: bool = False,
    dry_run: bool = False,
    resources: Sequence[str] = (),
    sync_options: Sequence[str] = (),
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    operation = applications.sync_operation(
        revision=revision, prune=prune, sync_options=sync_options, username=username()
    )
    if dry_run:
        operation["sync"]["dryRun"] = True
    if resources:
        operation["sync"]["resources"] = [parse_resource(item) for item in resources]
    if source is not None:
        operation["sync"]["source"] = source
    return operation
