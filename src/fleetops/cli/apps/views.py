"""How Applications are shown: `argocd app list` columns, `argocd app get` fields, resources,
history, and `-o json|yaml`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from rich.table import Table

from fleetops.core import app as applications

LIST_COLUMNS = (
    "NAME", "CLUSTER", "NAMESPACE", "PROJECT", "STATUS", "HEALTH", "SYNCPOLICY", "CONDITIONS", "REPO",
    "PATH", "TARGET",
)  # fmt: skip
WIDE_COLUMNS = ("REVISION", "OPERATION")
OUTPUTS = ("table", "wide", "json", "yaml", "name")


def _status(app: Mapping[str, Any]) -> Mapping[str, Any]:
    status = app.get("status")
    return status if isinstance(status, Mapping) else {}


def cluster(app: Mapping[str, Any]) -> str:
    destination = applications.destination(app)
    return destination.server or destination.name


def sync_policy_text(app: Mapping[str, Any]) -> str:
    """`Manual`, `Auto` or `Auto-Prune` (as `argocd app list`)."""
    if not applications.autosync_enabled(app):
        return "Manual"
    automated = (app.get("spec", {}).get("syncPolicy") or {}).get("automated") or {}
    return "Auto-Prune" if automated.get("prune") else "Auto"


def conditions_text(app: Mapping[str, Any]) -> str:
    found = [str(c.get("type", "")) for c in _status(app).get("conditions") or () if isinstance(c, Mapping)]
    return ",".join(found) if found else "<none>"


def revision(app: Mapping[str, Any]) -> str:
    sync = _status(app).get("sync") or {}
    return str(sync.get("revision") or ",".join(sync.get("revisions") or ()))


def operation_text(app: Mapping[str, Any]) -> str:
    state = _status(app).get("operationState") or {}
    if app.get("operation"):
        return "Sync (requested)"
    return str(state.get("phase") or "")


def list_row(app: Mapping[str, Any], *, wide: bool = False) -> list[str]:
    source = applications.primary_source(app)
    row = [
        str(app.get("metadata", {}).get("name", "")),
        cluster(app),
        applications.destination(app).namespace,
        applications.project(app),
        applications.current_sync_status(app),
        applications.current_health_status(app),
        sync_policy_text(app),
        conditions_text(app),
        applications.repo_url(source),
        applications.path(source) if source else "",
        applications.target_revision(source) if source else "",
    ]
    if wide:
        row += [revision(app)[:12], operation_text(app)]
    return row


_STYLES = {"Synced": "green", "Healthy": "green", "OutOfSync": "yellow", "Progressing": "cyan",
           "Degraded": "red", "Missing": "yellow", "Unknown": "dim", "Suspended": "magenta"}  # fmt: skip


def styled(value: str) -> str:
    style = _STYLES.get(value)
    return f"[{style}]{value}[/{style}]" if style else value


def app_table(apps: Sequence[Mapping[str, Any]], *, wide: bool = False) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in LIST_COLUMNS + (WIDE_COLUMNS if wide else ()):
        table.add_column(column, no_wrap=True)
    for app in apps:
        row = list_row(app, wide=wide)
        row[4], row[5] = styled(row[4]), styled(row[5])
        table.add_row(*row)
    return table


def get_fields(app: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The `argocd app get` header: field name and value."""
    metadata = app.get("metadata", {})
    source = applications.primary_source(app)
    status = _status(app)
    state = status.get("operationState") or {}
    health = status.get("health") or {}
    fields = [
        ("Name", f"{metadata.get('namespace', '')}/{metadata.get('name', '')}"),
        ("Project", applications.project(app)),
        ("Server", cluster(app)),
        ("Namespace", applications.destination(app).namespace),
        ("Repo", applications.repo_url(source)),
        ("Target", applications.target_revision(source) if source else ""),
        ("Path", applications.path(source) if source else ""),
        ("Sync Policy", sync_policy_text(app)),
        ("Sync Status", f"{applications.current_sync_status(app)} ({revision(app)[:7] or '-'})"),
        ("Health Status", applications.current_health_status(app)),
    ]
    if health.get("message"):
        fields.append(("Health Message", str(health["message"])))
    if state:
        fields.append(
            ("Operation", f"Sync {state.get('phase', '')}: {state.get('message', '')}".rstrip(": "))
        )
    for item in status.get("conditions") or ():
        fields.append(("Condition", f"{item.get('type', '')}: {item.get('message', '')}"))
    return fields


def resources_table(app: Mapping[str, Any]) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in ("GROUP", "KIND", "NAMESPACE", "NAME", "STATUS", "HEALTH", "HOOK", "MESSAGE"):
        table.add_column(column, no_wrap=True)
    messages = _result_messages(app)
    for item in _status(app).get("resources") or ():
        key = (str(item.get("kind", "")), str(item.get("namespace", "")), str(item.get("name", "")))
        health = (item.get("health") or {}).get("status", "")
        table.add_row(
            str(item.get("group", "")),
            key[0],
            key[1],
            key[2],
            styled(str(item.get("status", ""))),
            styled(str(health)),
            "hook" if item.get("hook") else "",
            messages.get(key, ""),
        )
    return table


def _result_messages(app: Mapping[str, Any]) -> dict[tuple[str, str, str], str]:
    state = _status(app).get("operationState") or {}
    results = (state.get("syncResult") or {}).get("resources") or ()
    return {
        (str(r.get("kind", "")), str(r.get("namespace", "")), str(r.get("name", ""))): str(
            r.get("message", "")
        )
        for r in results
    }


def history_table(app: Mapping[str, Any]) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in ("ID", "DATE", "REVISION", "INITIATED BY"):
        table.add_column(column, no_wrap=True)
    for entry in history(app):
        initiated = entry.get("initiatedBy") or {}
        who = "automated" if initiated.get("automated") else str(initiated.get("username", ""))
        rev = str(entry.get("revision") or ",".join(entry.get("revisions") or ()))
        source = entry.get("source") or {}
        target = f"{rev} ({source.get('targetRevision')})" if source.get("targetRevision") else rev
        table.add_row(str(entry.get("id", "")), str(entry.get("deployedAt", "")), target, who)
    return table


def history(app: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [entry for entry in _status(app).get("history") or () if isinstance(entry, Mapping)]


def dump(value: Any, output: str) -> str:
    if output == "json":
        return json.dumps(value, indent=2, sort_keys=False)
    return yaml.safe_dump(value, sort_keys=False)
