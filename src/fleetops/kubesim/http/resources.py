"""Handlers of resource URLs: GET/LIST/WATCH, POST, PUT, PATCH, DELETE, deletecollection, and the
status, scale, finalize and token subresources."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from aiohttp import web

from fleetops.kubesim import clock, errors
from fleetops.kubesim.http import params
from fleetops.kubesim.http.paths import Target
from fleetops.kubesim.http.tables import to_table
from fleetops.kubesim.http.watching import WatchStream
from fleetops.kubesim.rest import patches, reads, scale
from fleetops.kubesim.rest.caller import Caller
from fleetops.kubesim.rest.decode import decode_document, decode_object
from fleetops.kubesim.rest.deletion import Deleter
from fleetops.kubesim.rest.filters import build_filter
from fleetops.kubesim.rest.writes import Writer, WriteResult
from fleetops.kubesim.state import CRDS, ClusterState

Manifest = dict[str, Any]


class ResourceHandler:
    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.writer = Writer(state)
        self.deleter = Deleter(state)

    def _crd_of(self, target: Target) -> Manifest | None:
        info = target.info
        if info.builtin:
            return None
        return self.state.store.get(CRDS, "", f"{info.plural}.{info.gvk.group}")

    async def handle(self, request: web.Request, target: Target, caller: Caller) -> web.StreamResponse:
        method = request.method
        if not target.name:
            if method == "GET":
                return await self._list_or_watch(request, target)
            if method == "POST":
                return await self._create(request, target, caller)
            if method == "DELETE":
                return await self._delete_collection(request, target, caller)
            raise errors.method_not_allowed()
        if target.subresource == "scale":
            return await self._scale(request, target, caller)
        if target.subresource == "token" and method == "POST":
            return await self._token(request, target)
        if method == "GET":
            obj = reads.get_object(self.state, target.info, target.namespace, target.name)
            return self._respond(request, target, obj)
        if method == "PUT":
            return await self._update(request, target, caller)
        if method == "PATCH":
            return await self._patch(request, target, caller)
        if method == "DELETE" and not target.subresource:
            options = await params.delete_options(request)
            obj = self.deleter.delete(target.info, target.namespace, target.name, options, caller)
            status = (
                202
                if options.orphan_dependents is False and obj["metadata"].get("deletionTimestamp")
                else 200
            )
            return params.json_response(obj, status)
        raise errors.method_not_allowed()

    def _respond(
        self,
        request: web.Request,
        target: Target,
        obj: Manifest,
        status: int = 200,
        warnings: list[str] | None = None,
    ) -> web.Response:
        if params.wants_table(request) and request.method == "GET":
            table = to_table(
                target.info,
                [obj],
                {"resourceVersion": obj["metadata"].get("resourceVersion", "")},
                self._crd_of(target),
                request.query.get("includeObject", "Metadata"),
            )
            return params.json_response(table)
        return params.json_response(obj, status, warnings=warnings)

    async def _list_or_watch(self, request: web.Request, target: Target) -> web.StreamResponse:
        query = request.query
        namespace = target.namespace if target.info.namespaced and target.namespace else None
        selection = build_filter(
            target.info, namespace, query.get("labelSelector", ""), query.get("fieldSelector", "")
        )
        if params.truthy(query.get("watch")):
            stream = WatchStream(
                self.state,
                target.info,
                selection,
                table=params.wants_table(request),
                crd=self._crd_of(target),
            )
            return await stream.serve(request)
        try:
            limit = int(query.get("limit") or 0)
        except ValueError as exc:
            raise errors.bad_request(f"invalid limit: {query.get('limit')}") from exc
        page = reads.list_objects(self.state, target.info, selection, limit, query.get("continue", ""))
        body = reads.list_body(target.info, page)
        if params.wants_table(request):
            metadata = body["metadata"]
            return params.json_response(
                to_table(
                    target.info,
                    page.items,
                    metadata,
                    self._crd_of(target),
                    query.get("includeObject", "Metadata"),
                )
            )
        return params.json_response(body)

    async def _create(self, request: web.Request, target: Target, caller: Caller) -> web.Response:
        options = params.write_options(request)
        raw = await params.read_body(request)
        body = decode_object(raw, params.content_type(request), target.info)
        result = self.writer.create(target.info, target.namespace, body, options, caller)
        return self._write_response(request, target, result, 201)

    def _write_response(
        self, request: web.Request, target: Target, result: WriteResult, created_status: int = 201
    ) -> web.Response:
        status = created_status if result.created else 200
        return params.json_response(result.object, status, warnings=result.warnings)

    async def _update(self, request: web.Request, target: Target, caller: Caller) -> web.Response:
        options = params.write_options(request)
        raw = await params.read_body(request)
        body = decode_object(raw, params.content_type(request), target.info)
        subresource = "" if target.subresource == "finalize" else target.subresource
        result = self.writer.update(
            target.info, target.namespace, target.name, body, options, caller, subresource
        )
        return self._write_response(request, target, result)

    async def _patch(self, request: web.Request, target: Target, caller: Caller) -> web.Response:
        options = params.write_options(request)
        raw = await params.read_body(request)
        result = self.writer.patch(
            target.info,
            target.namespace,
            target.name,
            params.content_type(request),
            raw,
            options,
            caller,
            target.subresource,
        )
        return self._write_response(request, target, result)

    async def _delete_collection(self, request: web.Request, target: Target, caller: Caller) -> web.Response:
        options = await params.delete_options(request)
        query = request.query
        namespace = target.namespace if target.info.namespaced and target.namespace else None
        selection = build_filter(
            target.info, namespace, query.get("labelSelector", ""), query.get("fieldSelector", "")
        )
        page = reads.list_objects(self.state, target.info, selection)
        deleted = []
        for obj in page.items:
            metadata = obj["metadata"]
            try:
                deleted.append(
                    self.deleter.delete(
                        target.info,
                        str(metadata.get("namespace") or ""),
                        str(metadata["name"]),
                        options,
                        caller,
                    )
                )
            except errors.ApiError as exc:
                if exc.code != 404:
                    raise
        body = reads.list_body(target.info, reads.Page(deleted, str(self.state.store.revision), "", None))
        return params.json_response(body)

    async def _scale(self, request: web.Request, target: Target, caller: Caller) -> web.Response:
        info = target.info
        live = reads.get_object(self.state, info, target.namespace, target.name)
        current = scale.scale_of(live, info)
        if request.method == "GET":
            return params.json_response(current)
        options = params.write_options(request)
        raw = await params.read_body(request)
        if request.method == "PUT":
            wanted = json.loads(raw or b"{}")
        elif request.method == "PATCH":
            kind = patches.check_patch_type(params.content_type(request), info)
            if kind == patches.APPLY_PATCH:
                raise errors.unsupported_media_type(patches.accepted_types(info)[:2])
            wanted = patches.apply_patch(self.state, info, current, kind, raw)
        else:
            raise errors.method_not_allowed()
        changed = scale.with_replicas(live, info, wanted)
        result = self.writer.update(info, target.namespace, target.name, changed, options, caller, "scale")
        return params.json_response(scale.scale_of(result.object, info))

    async def _token(self, request: web.Request, target: Target) -> web.Response:
        if target.info.plural != "serviceaccounts":
            raise errors.method_not_allowed()
        reads.get_object(self.state, target.info, target.namespace, target.name)
        raw = await params.read_body(request)
        spec: Manifest = {}
        if raw.strip():
            document = decode_document(raw, params.content_type(request))
            if isinstance(document, dict):
                spec = dict(document.get("spec") or {})
        seconds = int(spec.get("expirationSeconds") or 3600)
        spec.setdefault("audiences", ["https://kubernetes.default.svc.cluster.local"])
        spec["expirationSeconds"] = seconds
        token = "kubesim-sa-" + secrets.token_urlsafe(24)
        self.state.tokens[token] = f"system:serviceaccount:{target.namespace}:{target.name}"
        moment = clock.now()
        return params.json_response(
            {
                "kind": "TokenRequest",
                "apiVersion": "authentication.k8s.io/v1",
                "metadata": {
                    "name": target.name,
                    "namespace": target.namespace,
                    "creationTimestamp": clock.rfc3339(moment),
                },
                "spec": spec,
                "status": {
                    "token": token,
                    "expirationTimestamp": clock.rfc3339(moment + timedelta(seconds=seconds)),
                },
            },
            201,
        )
