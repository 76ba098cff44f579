"""Go template value semantics: missing values, truth, printing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from fleetops.core.appset.params import go_string

__all__ = ["MISSING", "Missing", "printed", "truth"]


class Missing:
    """A map key that is absent (Go's invalid ``reflect.Value``): prints ``<no value>``."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING: Final = Missing()


def truth(value: Any) -> bool:
    """Go's ``template.IsTrue``: false, 0, nil, empty string, map or list are false."""
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool | int | float | str | Mapping | list | tuple):
        return bool(value)
    return True


def printed(value: Any) -> str:
    """What ``{{ value }}`` writes (a nil value, like a missing one, is ``<no value>``)."""
    if value is MISSING or value is None:
        return "<no value>"
    return go_string(value)
