"""Label key and value syntax, as Kubernetes validates it (``util/validation``).

A label key is a *qualified name*: an optional DNS-1123 subdomain prefix (at most 253
characters) and a slash, then a name of at most 63 alphanumerics, ``-``, ``_`` and ``.`` that
starts and ends with an alphanumeric. A label value is empty or such a name.
"""

from __future__ import annotations

import re

__all__ = ["label_key_problem", "label_value_problem"]

NAME_MAX_LENGTH = 63
PREFIX_MAX_LENGTH = 253
VALUE_MAX_LENGTH = 63

_NAME = re.compile(r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?")
_DNS_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS_SUBDOMAIN = re.compile(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*")

_NAME_RULE = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)


def _name_problem(name: str, what: str) -> str | None:
    if not name:
        return f"{what} must be non-empty"
    if len(name) > NAME_MAX_LENGTH:
        return f"{what} must be no more than {NAME_MAX_LENGTH} characters"
    if not _NAME.fullmatch(name):
        return f"{what} {_NAME_RULE}"
    return None


def label_key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label key (a qualified name), or None when it is."""
    parts = key.split("/")
    if len(parts) > 2:
        return "a qualified name must have at most one '/' (an optional DNS subdomain prefix and a name)"
    if len(parts) == 2:
        prefix, name = parts
        if not prefix:
            return "prefix part must be non-empty"
        if len(prefix) > PREFIX_MAX_LENGTH:
            return f"prefix part must be no more than {PREFIX_MAX_LENGTH} characters"
        if not _DNS_SUBDOMAIN.fullmatch(prefix):
            return (
                "prefix part must be a lowercase DNS-1123 subdomain: alphanumerics, '-' and '.', "
                "starting and ending with an alphanumeric"
            )
        return _name_problem(name, "name part")
    return _name_problem(key, "name part")


def label_value_problem(value: str) -> str | None:
    """Why ``value`` is not a valid label value, or None when it is (the empty value is valid)."""
    if len(value) > VALUE_MAX_LENGTH:
        return f"a label value must be no more than {VALUE_MAX_LENGTH} characters"
    if value and not _NAME.fullmatch(value):
        return f"a label value must be empty or {_NAME_RULE.removeprefix('must ')}"
    return None
