"""The port an aiohttp site listens on (to learn the port chosen for port 0)."""

from __future__ import annotations

import asyncio

from aiohttp import web


def site_port(site: web.TCPSite) -> int:
    server = site._server
    if not isinstance(server, asyncio.Server) or not server.sockets:
        raise RuntimeError("the site is not listening")
    return int(server.sockets[0].getsockname()[1])
