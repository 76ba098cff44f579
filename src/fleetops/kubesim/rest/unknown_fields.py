"""Fields the schema does not declare: found for `fieldValidation`, then pruned from the object
(the rule lives in `fleetops.core.schema.unknown_fields`, shared with the engine's diff)."""

from __future__ import annotations

from fleetops.core.schema.unknown_fields import prune_unknown

__all__ = ["prune_unknown"]
