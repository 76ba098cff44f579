"""Consistent hashing with bounded loads: every cluster once, the load bound, few moves."""

from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fleetops.core import sharding

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(clusters=st.sets(names, max_size=80), members=st.sets(names, min_size=1, max_size=8))
def test_every_cluster_assigned_once_within_the_bound(clusters: set[str], members: set[str]) -> None:
    result = sharding.assign(clusters, members)
    assert set(result) == clusters
    assert set(result.values()) <= members
    limit = sharding.capacity(len(clusters), len(members))
    assert all(count <= limit for count in collections.Counter(result.values()).values())


@settings(max_examples=100, deadline=None)
@given(clusters=st.sets(names, min_size=1, max_size=60), members=st.sets(names, min_size=2, max_size=6))
def test_same_inputs_same_assignment_whatever_the_order(clusters: set[str], members: set[str]) -> None:
    assert sharding.assign(sorted(clusters), sorted(members)) == sharding.assign(
        sorted(clusters, reverse=True), sorted(members, reverse=True)
    )


@settings(max_examples=100, deadline=None)
@given(
    clusters=st.sets(names, min_size=10, max_size=80),
    members=st.sets(names, min_size=3, max_size=6),
    data=st.data(),
)
def test_removing_a_member_moves_its_clusters_and_few_others(
    clusters: set[str], members: set[str], data: st.DataObject
) -> None:
    gone = data.draw(st.sampled_from(sorted(members)))
    before = sharding.assign(clusters, members)
    after = sharding.assign(clusters, members - {gone})
    orphaned = {cluster for cluster, member in before.items() if member == gone}
    moved = sharding.moved(before, after)
    assert orphaned <= moved
    # Bounded loads displace a few more; never more than the orphans again (plus rounding).
    assert len(moved - orphaned) <= len(orphaned) + len(members)


def test_thirty_clusters_from_three_to_two_members() -> None:
    clusters = [f"spoke-{index:02d}" for index in range(30)] + ["in-cluster"]
    members = ["fleetops-0", "fleetops-1", "fleetops-2"]
    before = sharding.assign(clusters, members)
    after = sharding.assign(clusters, members[:2])
    orphaned = {cluster for cluster, member in before.items() if member == "fleetops-2"}
    moved = sharding.moved(before, after)
    print(f"3->2 members: {len(orphaned)} orphaned, {len(moved)} moved of {len(clusters)}")
    assert orphaned <= moved
    assert max(collections.Counter(after.values()).values()) <= sharding.capacity(31, 2)


def test_no_members_no_assignment_and_bad_parameters() -> None:
    assert sharding.assign(["a"], []) == {}
    assert sharding.capacity(10, 0) == 0
    with pytest.raises(ValueError, match="load factor"):
        sharding.assign(["a"], ["m"], load_factor=0.5)
    with pytest.raises(ValueError, match="vnodes"):
        sharding.assign(["a"], ["m"], vnodes=0)
