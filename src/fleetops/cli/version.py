"""``fleetops version``: the fleetops version, the Python running it, the default schema."""

from __future__ import annotations

import platform

import typer

import fleetops

__all__ = ["register", "version_lines"]


def version_lines() -> list[str]:
    """What ``fleetops version`` prints, one item a line."""
    # Imported here, not at the top: the schema package is not needed by other commands.
    from fleetops.core.schema import DEFAULT_VERSION as DEFAULT_KUBERNETES_VERSION  # noqa: PLC0415

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
