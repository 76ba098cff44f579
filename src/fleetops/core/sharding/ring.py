"""Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2016).

Each member owns `vnodes` points on a 64-bit hash ring. A cluster goes to the member of the first
point clockwise from the cluster's hash whose member still has room; every member has room for
`ceil(load_factor * n / m)` clusters (n clusters, m members), so no member carries more than
`load_factor` times the average. Clusters are placed in the order of their hashes, which makes the
result a function of the two sets only: every replica computes the same assignment from the same
Leases without talking to the others. Removing one of m members moves its own clusters plus the
few that the changed capacity displaces (see tests/core/sharding).
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Iterable, Mapping

VNODES = 100
"""Points per member on the ring: more points, a more even spread before the bound applies."""
LOAD_FACTOR = 1.25
"""c: a member carries at most ceil(c * n / m) clusters."""


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def capacity(clusters: int, members: int, load_factor: float = LOAD_FACTOR) -> int:
    """The most clusters one member may carry: ceil(c * n / m) (0 without members)."""
    if members <= 0:
        return 0
    if load_factor < 1.0:
        raise ValueError(f"the load factor must be at least 1, not {load_factor}")
    return max(1, math.ceil(load_factor * clusters / members)) if clusters else 0


def assign(
    clusters: Iterable[str],
    members: Iterable[str],
    *,
    vnodes: int = VNODES,
    load_factor: float = LOAD_FACTOR,
) -> dict[str, str]:
    """Map every cluster to exactly one member ({} when there are no members)."""
    names = sorted(set(clusters))
    replicas = sorted(set(members))
    if not replicas or not names:
        return {}
    if vnodes < 1:
        raise ValueError(f"vnodes must be at least 1, not {vnodes}")
    points = sorted((_hash(f"{member}#{index}"), member) for member in replicas for index in range(vnodes))
    hashes = [point for point, _ in points]
    limit = capacity(len(names), len(replicas), load_factor)
    load = dict.fromkeys(replicas, 0)
    result: dict[str, str] = {}
    for cluster_hash, cluster in sorted((_hash(name), name) for name in names):
        start = bisect.bisect_left(hashes, cluster_hash)
        for step in range(len(points)):
            member = points[(start + step) % len(points)][1]
            if load[member] < limit:
                load[member] += 1
                result[cluster] = member
                break
    return result


def moved(before: Mapping[str, str], after: Mapping[str, str]) -> set[str]:
    """Clusters present in both assignments whose member changed."""
    return {cluster for cluster, member in after.items() if cluster in before and before[cluster] != member}
