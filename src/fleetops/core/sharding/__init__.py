"""Sharding clusters over controller replicas (pure): consistent hashing with bounded loads.

Public API::

    assign(clusters, members, *, vnodes=VNODES, load_factor=LOAD_FACTOR) -> dict[cluster, member]
    capacity(clusters, members, load_factor) -> int      # ceil(c * n / m)
    moved(before, after) -> set[cluster]                  # clusters whose member changed
"""

from fleetops.core.sharding.ring import LOAD_FACTOR, VNODES, assign, capacity, moved

__all__ = ["LOAD_FACTOR", "VNODES", "assign", "capacity", "moved"]
