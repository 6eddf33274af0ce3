"""The emulator served over real HTTP by aiohttp: POST /graphql and /api/graphql."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from .controls import FaultKind
from .engine import Emulator, HttpRequest

__all__ = ["EmulatorServer", "create_app"]

_MAX_REQUEST_BYTES = 32 * 1024 * 1024


def create_app(emulator: Emulator) -> web.Application:
    """An aiohttp application answering GitHub's GraphQL endpoints from `emulator`."""

    async def graphql(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        response = await emulator.handle(HttpRequest(dict(request.headers), body, request.path))
        if response.fault is FaultKind.TIMEOUT:
            await asyncio.sleep(emulator.controls.timeout_hold)
        if response.fault is not None:
            # Drop the connection without an answer. aiohttp then fails to write the empty
            # response below and treats it as a client that went away (no error logged).
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=599)
        return web.Response(
            status=response.status,
            headers=response.headers,
            text=json.dumps(response.body),
            content_type="application/json",
            charset="utf-8",
        )

    app = web.Application(client_max_size=_MAX_REQUEST_BYTES)
    app.router.add_post("/graphql", graphql)
    app.router.add_post("/api/graphql", graphql)
    return app


class EmulatorServer:
    """Runs the emulator on a loopback port inside the current event loop."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The GraphQL endpoint, e.g. http://127.0.0.1:PORT/graphql."""
        return f"http://{self.host}:{self.port}/graphql"

    async def start(self) -> str:
        """Start listening; return the endpoint URL."""
        self._runner = web.AppRunner(
            create_app(self.emulator), access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # noqa: SLF001 - the only way aiohttp exposes the bound port
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1])
        return self.url

    async def stop(self) -> None:
        """Stop listening and finish open requests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
