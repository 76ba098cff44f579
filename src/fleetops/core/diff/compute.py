"""``diff``: what a sync would change, predicted locally like Argo CD's server-side diff.

The desired object is server-side applied onto the cached live object with the Foundation's
structured merge (forced, as the field manager ``fleetops``: exactly what a sync writes) and the
prediction is compared with the live object. So a field the API server defaulted (present live,
absent from desired, owned by nobody or by another manager) is not drift, while a field fleetops
applied and another manager changed (``kubectl scale``, ``kubectl edit``) is.

The prediction models what kube-apiserver adds around the merge: list-map keys completed with
their defaults (``protocol: TCP``), ``stringData`` folded into ``data``, canonical quantities and
dropped empty lists and maps. Known differences from Argo CD's server-side diff (a dry-run
request): fields the API server would default inside a new list item or after the merge removed
a field are not predicted (a new container shows without ``imagePullPolicy`` …; a field Git
dropped shows as removed, where the server may default it again); mutating admission webhooks are
not run; the live object must have been read at the desired object's API version.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fleetops.core import structured
from fleetops.core.diff.changes import ChangedPath, changed_paths
from fleetops.core.diff.ignore import IgnoreRules
from fleetops.core.diff.ignoring import apply_ignored_to_desired, remove_ignored
from fleetops.core.diff.managed import owned_by
from fleetops.core.diff.normalize import KindFacts, normalize, prepare_desired
from fleetops.core.diff.result import ResourceDiff
from fleetops.core.diff.secrets import mask_secret
from fleetops.core.diff.stored import as_stored
from fleetops.core.diff.takeover import take_over
from fleetops.core.schema import KubeSchema
from fleetops.model import manifest as manifests
from fleetops.model.keys import ResourceKey

__all__ = ["FIELD_MANAGER", "VersionMismatchError", "diff"]

Manifest = dict[str, Any]

FIELD_MANAGER = "fleetops"
_NOW = "1970-01-01T00:00:00Z"  # the prediction's managedFields time; never compared or shown


class VersionMismatchError(ValueError):
    """The live object was read at another API version than the desired one is written in."""


def diff(
    desired: Manifest,
    live: Manifest | None,
    *,
    schema: KubeSchema,
    manager: str = FIELD_MANAGER,
    ignore: IgnoreRules | None = None,
    respect_ignore: bool = False,
    takeover: Collection[str] = (),
) -> ResourceDiff:
    """Compare ``desired`` (as the sync would apply it) with ``live`` (None: it does not exist).

    ``ignore`` holds the rules of the Application (and the system); ``respect_ignore`` is the
    ``RespectIgnoreDifferences`` sync option (ignored fields keep their live values in the
    prediction, as the sync would write them). ``takeover`` names the managers whose fields the
    sync takes over (``TAKEOVER_MANAGERS`` on a first sync), so that what Git dropped shows as
    removed. Raises ``structured.StructuredMergeError`` when an object does not fit its kind's
    schema, ``VersionMismatchError`` when ``live`` was read at another API version (the live
    copy must be read at the desired object's version). ``desired`` should be what the sync
    applies (with the tracking annotation).
    """
    key = ResourceKey.of(desired)
    if not key.namespace and live is not None:  # the destination namespace, as the live copy has it
        key = ResourceKey(key.group, key.kind, manifests.namespace(live), key.name)
    facts = KindFacts.of(desired, schema)
    rules = (ignore or IgnoreRules()).for_resource(key)
    target = prepare_desired(desired, facts)
    if live is None:
        owned = structured.FieldSet()
        predicted = normalize(_stored(_apply(None, target, manager, facts).object, facts), facts)
        current: Manifest | None = None
    else:
        _check_versions(desired, live)
        if respect_ignore:
            target = apply_ignored_to_desired(target, live, rules)
        owned = owned_by(live, rules.managed_fields_managers)
        base = take_over(_without_status(live, facts), takeover, manager=manager)
        result = _apply(base, target, manager, facts)
        predicted = normalize(_stored(result.object, facts), facts)
        current = normalize(_stored(live, facts), facts)
    predicted = remove_ignored(predicted, rules, owned=owned)
    if current is not None:
        current = remove_ignored(current, rules, owned=owned)
    modified = current is None or not structured.values_equal(predicted, current)
    if facts.secret:
        predicted, current = mask_secret(predicted), (mask_secret(current) if current is not None else None)
    changes = _changes(current, predicted, schema, desired) if modified else []
    return ResourceDiff(key, modified, predicted, current, tuple(changes))


def _check_versions(desired: Manifest, live: Manifest) -> None:
    wanted, found = manifests.api_version(desired), manifests.api_version(live)
    if found and wanted != found:
        raise VersionMismatchError(f"the live object was read as {found}, the desired object is {wanted}")


def _apply(live: Manifest | None, target: Manifest, manager: str, facts: KindFacts) -> structured.ApplyResult:
    """The forced apply a sync makes; a Secret's error names the path, never the value."""
    try:
        return structured.apply(live, target, manager=manager, force=True, type_ref=facts.type_ref, now=_NOW)
    except structured.StructuredMergeError as error:
        if not facts.secret:
            raise
        raise structured.StructuredMergeError(
            "does not fit the schema (Secret: value not shown)", error.path
        ) from None


def _stored(obj: Manifest, facts: KindFacts) -> Manifest:
    if not facts.builtin:
        return obj
    stored: Manifest = as_stored(obj, facts.node)
    return stored


def _without_status(live: Manifest, facts: KindFacts) -> Manifest:
    """Status is not written by an apply of the main resource: it stays out of the merge."""
    if facts.status_ignored and "status" in live:
        return {k: v for k, v in live.items() if k != "status"}
    return live


def _changes(
    current: Manifest | None, predicted: Manifest, schema: KubeSchema, desired: Manifest
) -> list[ChangedPath]:
    if current is None:
        return [ChangedPath(".", "added", None, predicted)]
    node = schema.node_for(manifests.gvk(desired))
    return changed_paths(current, predicted, node)
