"""Decoding failure `Status` bodies into the port's typed errors."""

from __future__ import annotations

import json
from typing import Any

from fleetops.ports.kube import (
    AlreadyExists,
    ApiError,
    BadRequest,
    Cause,
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    Unauthorized,
)

_BY_CODE: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    410: Gone,
    422: Invalid,
}


def error_from_status(code: int, body: Any, *, fallback: str = "") -> ApiError:
    """The error for an HTTP failure; `body` is the decoded response (a Status, or anything else)."""
    status: dict[str, Any] = body if isinstance(body, dict) and body.get("kind") == "Status" else {}
    code = int(status.get("code") or code)
    reason = str(status.get("reason") or "")
    message = str(status.get("message") or fallback or f"HTTP {code}")
    details = status.get("details") or {}
    causes = tuple(
        Cause(str(c.get("reason", "")), str(c.get("message", "")), str(c.get("field", "")))
        for c in details.get("causes") or ()
        if isinstance(c, dict)
    )
    cls: type[ApiError] = ApiError
    if code == 409 and reason == "AlreadyExists":
        cls = AlreadyExists
    elif code in _BY_CODE:
        cls = _BY_CODE[code]
    return cls(code, reason, message, causes=causes, status=status)


def decode_error(code: int, raw: bytes) -> ApiError:
    try:
        body = json.loads(raw) if raw else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    return error_from_status(code, body, fallback=raw[:300].decode(errors="replace").strip())
