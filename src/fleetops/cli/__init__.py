"""The ``fleetops`` command line.

``fleetops.cli.main:main`` is the console script. It stays light: ``fleetops render …`` (run in
loops by CI scripts) is dispatched to :mod:`fleetops.cli.render` (argparse) before typer or rich
is imported; every other command goes through the typer application that :mod:`fleetops.cli.app`
builds.

Adding a command group: write ``fleetops/cli/<group>.py`` exposing either

- ``app = typer.Typer(name="<group>", help=...)`` — a sub-app, mounted as ``fleetops <group> …``; or
- ``def register(app: typer.Typer) -> None`` — which adds commands to the root app
  (``@app.command()``), for top-level commands such as ``fleetops version``;

then add the module to ``COMMAND_MODULES`` in :mod:`fleetops.cli.app`. Keep heavy imports
(engine, adapters, aiohttp) inside the command functions, so ``fleetops --help`` stays fast.
"""
