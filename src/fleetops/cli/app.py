"""The typer application: the root command and the command groups registered on it.

See :mod:`fleetops.cli` for how a command group registers itself.
"""

from __future__ import annotations

import types

import typer

from fleetops.cli import app_cmd, appset, cluster, controller, repo, sim, up, version

__all__ = ["COMMAND_MODULES", "build_app"]

# Every module that contributes commands, in the order they appear in ``fleetops --help``.
COMMAND_MODULES: tuple[types.ModuleType, ...] = (version, up, app_cmd, appset, repo, cluster, controller, sim)


def build_app() -> typer.Typer:
    """A fresh root application with every command group registered."""
    app = typer.Typer(
        name="fleetops",
        help="fleetops: a GitOps engine for fleets of Kubernetes clusters.",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        # Tracebacks never print local variables: they may hold secret values.
        pretty_exceptions_show_locals=False,
    )

    @app.callback()
    def root() -> None:
        """fleetops: a GitOps engine for fleets of Kubernetes clusters."""

    for module in COMMAND_MODULES:
        _mount(app, module)
    return app


def _mount(app: typer.Typer, module: types.ModuleType) -> None:
    sub_app = getattr(module, "app", None)
    if isinstance(sub_app, typer.Typer):
        app.add_typer(sub_app)
        return
    register = getattr(module, "register", None)
    if not callable(register):
        raise TypeError(f"{module.__name__} exposes neither a typer `app` nor `register(app)`")
    register(app)
