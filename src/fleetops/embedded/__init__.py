"""Embedded mode (`fleetops up`): kubesim with a hub and spokes, a sample config repository
served over smart HTTP, Applications, and the hub runtime — one process, no cluster needed.

This package is wiring (like `fleetops.cli`): it may import kubesim, the adapters and the server.
"""
