"""Typed errors of ApplicationSet generation."""

from __future__ import annotations

__all__ = ["AppSetError", "DuplicateNameError", "GeneratorError", "TemplateError"]


class AppSetError(ValueError):
    """An ApplicationSet cannot be turned into Applications."""


class GeneratorError(AppSetError):
    """A generator's spec or its inputs are invalid."""


class TemplateError(AppSetError):
    """A template (fasttemplate or Go template) cannot be rendered."""


class DuplicateNameError(AppSetError):
    """Two generated Applications share a name (Argo CD refuses the whole set)."""

    def __init__(self, appset: str, name: str) -> None:
        super().__init__(f"ApplicationSet {appset} contains applications with duplicate name: {name}")
        self.appset = appset
        self.name = name
