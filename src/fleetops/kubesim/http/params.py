"""Query parameters and headers of API requests, decoded into kubesim's option types."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from fleetops.kubesim import errors
from fleetops.kubesim.rest.caller import DeleteOptions, FieldValidation, WriteOptions
from fleetops.kubesim.rest.decode import decode_document
from fleetops.kubesim.rest.limits import REQUEST_LIMIT

_VALIDATION: dict[str, FieldValidation] = {"strict": "Strict", "warn": "Warn", "ignore": "Ignore"}


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1", "yes")


def dry_run(query: Mapping[str, str], values: list[str]) -> bool:
    for value in values:
        if value != "All":
            raise errors.bad_request(f'Invalid dry run value: "{value}": supported values: "All"')
    return bool(values)


def write_options(request: web.Request) -> WriteOptions:
    query = request.query
    validation_text = query.get("fieldValidation", "")
    validation: FieldValidation = "Warn"
    if validation_text:
        found = _VALIDATION.get(validation_text.lower())
        if found is None:
            raise errors.bad_request(
                f"fieldValidation parameter unsupported: {validation_text} (must be Strict, Warn, or Ignore)"
            )
        validation = found
    manager = query.get("fieldManager", "")
    if len(manager) > 128:
        raise errors.bad_request("fieldManager: Too long: may not be more than 128 bytes")
    return WriteOptions(
        dry_run=dry_run(query, query.getall("dryRun", [])),
        field_manager=manager,
        field_validation=validation,
        force=truthy(query.get("force")),
    )


async def read_body(request: web.Request) -> bytes:
    """The body, refused with 413 beyond the API server's 3 MiB limit."""
    if request.content_length is not None and request.content_length > REQUEST_LIMIT:
        raise errors.too_large_request(REQUEST_LIMIT)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > REQUEST_LIMIT:
            raise errors.too_large_request(REQUEST_LIMIT)
        chunks.append(chunk)


def content_type(request: web.Request) -> str:
    return request.headers.get("Content-Type", "application/json") or "application/json"


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise errors.bad_request(f"invalid integer: {value}") from exc


async def delete_options(request: web.Request) -> DeleteOptions:
    body: dict[str, Any] = {}
    raw = await read_body(request)
    if raw.strip():
        document = decode_document(raw, content_type(request))
        if isinstance(document, dict):
            body = document
    query = request.query
    preconditions = body.get("preconditions") or {}
    propagation = str(body.get("propagationPolicy") or query.get("propagationPolicy") or "")
    orphan = body.get("orphanDependents")
    if orphan is None and "orphanDependents" in query:
        orphan = truthy(query.get("orphanDependents"))
    dry = list(body.get("dryRun") or []) + query.getall("dryRun", [])
    grace = _int(body.get("gracePeriodSeconds", query.get("gracePeriodSeconds")))
    return DeleteOptions(
        dry_run=dry_run(query, dry),
        propagation=propagation,
        orphan_dependents=orphan if isinstance(orphan, bool) else None,
        precondition_uid=str(preconditions.get("uid") or ""),
        precondition_resource_version=str(preconditions.get("resourceVersion") or ""),
        grace_period_seconds=grace,
    )


def json_response(
    body: Any, status: int = 200, *, content_type: str = "application/json", warnings: list[str] | None = None
) -> web.Response:
    response = web.Response(body=json.dumps(body).encode(), status=status, content_type=None)
    response.headers["Content-Type"] = content_type
    for warning in warnings or []:
        escaped = warning.replace("\\", "\\\\").replace('"', '\\"')
        response.headers.add("Warning", f'299 - "{escaped}"')
    return response


def wants_table(request: web.Request) -> bool:
    return "as=Table" in request.headers.get("Accept", "")
