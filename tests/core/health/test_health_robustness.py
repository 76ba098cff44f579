"""Health rules never fail on malformed objects: odd types give an assessment, not an exception."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.health import assess
from fleetops.core.health.assess import RULES

ODD_VALUES: list[Any] = [None, "x", 3, [], {}, [1, "a", None], {"conditions": "nope"}, True]


@pytest.mark.parametrize("group_kind", sorted(RULES), ids=str)
@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
def test_odd_status_and_spec(group_kind: Any, odd: Any) -> None:
    api_version = f"{group_kind.group}/v1" if group_kind.group else "v1"
    for obj in (
        {"apiVersion": api_version, "kind": group_kind.kind, "status": odd, "spec": odd, "metadata": odd},
        {"apiVersion": api_version, "kind": group_kind.kind, "status": {"conditions": odd, "phase": odd}},
        {
            "apiVersion": api_version,
            "kind": group_kind.kind,
            "spec": {"strategy": odd, "updateStrategy": odd},
        },
    ):
        assert assess(obj) is not None
