"""The emulator served over real HTTP by aiohttp: POST /graphql and /api/graphql, and the
REST API under /api/v3/ (GitHub Enterprise Server's layout, PyGithub's `base_url`)."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from .controls import FaultKind
from .engine import Emulator, HttpRequest, HttpResponse
from .exchange import API_PREFIX

__all__ = ["EmulatorServer", "create_app"]

_MAX_REQUEST_BYTES = 32 * 1024 * 1024


def create_app(emulator: Emulator) -> web.Application:
    """An aiohttp application answering GitHub's GraphQL endpoints from `emulator`."""

    async def graphql(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        response = await emulator.handle(HttpRequest(dict(request.headers), body, request.path))
        return await answer(request, response)

    async def rest(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        path, _, query = request.raw_path.partition("?")
        received = HttpRequest(
            dict(request.headers),
            body,
            path,
            method=request.method,
            query=query,
            origin=f"{request.scheme}://{request.host}",
        )
        return await answer(request, await emulator.handle(received))

    async def answer(request: web.Request, response: HttpResponse) -> web.StreamResponse:
        if response.fault is FaultKind.TIMEOUT:
            await asyncio.sleep(emulator.controls.timeout_hold)
        if response.fault is not None:
            # Drop the connection without an answer. aiohttp then fails to write the empty
            # response below and treats it as a client that went away (no error logged).
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=599)
        if response.status == 204:
            return web.Response(status=204, headers=response.headers)
        if isinstance(response.body, str):  # raw text; its content-type is in the headers
            return web.Response(
                status=response.status, headers=response.headers, body=response.body.encode()
            )
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
    app.router.add_route("*", API_PREFIX + "{tail:(/.*)?}", rest)
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

    @property
    def rest_url(self) -> str:
        """The REST root, e.g. http://127.0.0.1:PORT/api/v3 (PyGithub's `base_url`)."""
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    async def start(self) -> str:
        """Start listening; return the endpoint URL."""
        self._runner = web.AppRunner(
            create_app(self.emulator), access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        addresses = self._runner.addresses  # (host, port, ...) of each bound socket
        assert addresses, "the site is listening"
        self.port = int(addresses[0][1])
        return self.url

    async def stop(self) -> None:
        """Stop listening and finish open requests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
