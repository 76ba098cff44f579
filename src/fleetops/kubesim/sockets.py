"""The listening sockets of an aiohttp site (to learn the port chosen for port 0)."""

from __future__ import annotations

import asyncio
import socket

from aiohttp import web


def site_sockets(site: web.TCPSite) -> list[socket.socket]:
    server = site._server
    if not isinstance(server, asyncio.Server):
        raise RuntimeError("the site is not listening")
    return [sock for sock in server.sockets if isinstance(sock, socket.socket)]
