"""Exponential backoff with jitter for reconnecting watches (like client-go's reflector)."""

from __future__ import annotations

import random


class Backoff:
    def __init__(
        self, initial: float = 0.5, maximum: float = 30.0, factor: float = 2.0, jitter: float = 0.2
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self._next = initial

    def reset(self) -> None:
        self._next = self.initial

    def next(self) -> float:
        """The delay before the next attempt; each call grows the following one."""
        delay = self._next
        self._next = min(self.maximum, self._next * self.factor)
        return delay * (1 + random.uniform(0, self.jitter))
