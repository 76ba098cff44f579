"""Typed errors of the schema package."""

from __future__ import annotations


class InvalidCustomResourceDefinitionError(ValueError):
    """A CRD manifest that cannot extend the schema; `.path` names the offending field, e.g.
    `spec.versions[0].schema.openAPIV3Schema.properties.spec.type`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"invalid CustomResourceDefinition: {path}: {reason}")
        self.path = path
        self.reason = reason
