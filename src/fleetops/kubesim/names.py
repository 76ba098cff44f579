"""Object names: DNS-1123 validation (with the API server's messages) and `generateName` suffixes."""

from __future__ import annotations

import re
import secrets

SUBDOMAIN_MAX = 253
LABEL_MAX = 63
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SUFFIX_LENGTH = 5

SUBDOMAIN_ERROR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_ERROR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)

# Kinds whose names must be DNS-1123 labels rather than subdomains (as in the real validators).
LABEL_NAMED_KINDS = frozenset({("", "Namespace"), ("", "Service")})


def name_errors(name: str, *, label: bool) -> list[str]:
    """The validator's messages for an invalid name (empty when valid)."""
    errors: list[str] = []
    if label:
        if len(name) > LABEL_MAX:
            errors.append(f"must be no more than {LABEL_MAX} characters")
        if not _LABEL.match(name):
            errors.append(LABEL_ERROR)
    else:
        if len(name) > SUBDOMAIN_MAX:
            errors.append(f"must be no more than {SUBDOMAIN_MAX} characters")
        if not _SUBDOMAIN.match(name):
            errors.append(SUBDOMAIN_ERROR)
    return errors


def generated_name(prefix: str) -> str:
    """`prefix` + 5 random characters from the API server's alphabet (no vowels, no 0/1/3)."""
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))
    return prefix[: SUBDOMAIN_MAX - SUFFIX_LENGTH] + suffix
