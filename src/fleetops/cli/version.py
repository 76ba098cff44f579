"""``fleetops version``: the fleetops version, the Python running it, the default schema."""

from __future__ import annotations

import platform

import typer

import fleetops

__all__ = ["DEFAULT_KUBERNETES_VERSION", "register", "version_lines"]

# The Kubernetes version whose schema is used when none is asked for: the default of
# ``fleetops.core.schema.load_schema`` (a test keeps the two equal; importing the schema
# package here would slow down every command).
DEFAULT_KUBERNETES_VERSION = "1.32"


def version_lines() -> list[str]:
    """What ``fleetops version`` prints, one item a line."""
    return [
        f"fleetops {fleetops.__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Kubernetes schema {DEFAULT_KUBERNETES_VERSION} (default)",
    ]


def show_version() -> None:
    """Print the fleetops version, the Python version and the default Kubernetes schema version."""
    for line in version_lines():
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.command(name="version")(show_version)
