"""`fleetops app …` (see :mod:`fleetops.cli.apps`)."""

from fleetops.cli.apps import app

__all__ = ["app"]
