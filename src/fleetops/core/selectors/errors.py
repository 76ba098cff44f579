"""The one error type every selector parser and validator raises."""

from __future__ import annotations

__all__ = ["SelectorError"]


class SelectorError(ValueError):
    """A malformed label or field selector.

    The message names the offending text and, for string selectors, the character offset.
    ``text`` is the whole input that was rejected (a selector string, or a key/value of the
    struct form) and ``position`` the 0-based offset into it, when one is known.
    """

    def __init__(self, message: str, *, text: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.position = position
