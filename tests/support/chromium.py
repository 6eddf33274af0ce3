"""Headless Chromium driven over the Chrome DevTools Protocol (a websocket, with aiohttp), to
look at pages as a person would: navigate, click, read the DOM, take a screenshot, and collect
what went wrong on the way (script exceptions, console errors, dialogs).

Debian's `chromium` package: `ensure_chromium()` installs it once (`apt-get install -y
chromium`, as root with apt available, one installer at a time) where it is missing, and
otherwise fails saying what to install -- the tests that need it fail, never skip.

    with Chromium.launch() as browser:
        page = browser.new_page()
        page.goto("file:///.../index.html")
        page.evaluate("document.title")

The protocol runs on an event loop of its own (a thread), so tests call it synchronously.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from .foreign import exclusive

__all__ = ["Chromium", "ChromiumMissing", "Page", "Png", "ensure_chromium", "read_png"]

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-port=0",
)
T = TypeVar("T")


class ChromiumMissing(RuntimeError):
    """Chromium is not installed and could not be installed here."""


def _find() -> str | None:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def ensure_chromium() -> str:
    """The path of Chromium, installed with apt first if missing (root and apt needed)."""
    found = _find()
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise ChromiumMissing(
            "the site's browser tests need Chromium: install Debian's package "
            "(`apt-get install -y chromium`, as root) -- this test run may not "
            + ("(no apt-get)" if apt is None else "(not root)")
        )
    with exclusive(ROOT / ".cache" / "chromium-install.lock"):
        if _find() is None:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            install = [apt, "install", "-y", "--no-install-recommends", "chromium"]
            done = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:  # an old package list: refresh it once and retry
                subprocess.run([apt, "update"], capture_output=True, env=env, check=False)
                done = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                raise ChromiumMissing(f"`apt-get install chromium` failed:\n{done.stderr[-2000:]}")
    found = _find()
    if found is None:
        raise ChromiumMissing("apt-get installed chromium, yet no chromium is on PATH")
    return found


class _Loop:
    """An event loop in a thread of its own; `run` waits for a coroutine on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Page:
    """One tab, over its own websocket: commands answered in order, events recorded."""

    def __init__(self, loop: _Loop, session: aiohttp.ClientSession, url: str) -> None:
        self._loop = loop
        self._session = session
        self._url = url
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._loaded: asyncio.Event | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.exceptions: list[str] = []
        """Uncaught script exceptions (Runtime.exceptionThrown)."""
        self.console_errors: list[str] = []
        """console.error calls and error log entries (CSP violations among them)."""
        self.dialogs: list[str] = []
        """alert/confirm/prompt dialogs the page opened (each dismissed)."""

    async def _open(self) -> None:
        self._ws = await self._session.ws_connect(self._url, max_msg_size=0)
        self._loaded = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read())
        for domain in ("Page", "Runtime", "Log"):
            await self._send(f"{domain}.enable")

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if "id" in data:
                future = self._waiting.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            else:
                await self._event(data["method"], data.get("params", {}))
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("the page's websocket closed"))

    async def _event(self, method: str, params: dict[str, Any]) -> None:
        self._events.append({"method": method, "params": params})
        if method == "Page.loadEventFired" and self._loaded is not None:
            self._loaded.set()
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            thrown = details.get("exception", {}).get("description") or details.get("text")
            self.exceptions.append(str(thrown))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.console_errors.append(" ".join(str(a.get("value")) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.console_errors.append(params["entry"].get("text", ""))
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            asyncio.get_running_loop().create_task(
                self._send("Page.handleJavaScriptDialog", {"accept": False})
            )

    async def _send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        assert self._ws is not None
        number = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        await self._ws.send_str(
            json.dumps({"id": number, "method": method, "params": params or {}})
        )
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """One DevTools command; its result (an error answer raises)."""
        return self._loop.run(self._send(method, params))

    async def _until_loaded(self, action: Coroutine[Any, Any, Any]) -> Any:
        assert self._loaded is not None
        self._loaded.clear()
        result = await action
        await asyncio.wait_for(self._loaded.wait(), 30)
        return result

    def goto(self, url: str) -> None:
        """Navigate and wait for the load event; a failed navigation raises."""
        result = self._loop.run(self._until_loaded(self._send("Page.navigate", {"url": url})))
        if result.get("errorText"):
            raise RuntimeError(f"navigating to {url}: {result['errorText']}")

    def click(self, selector: str) -> None:
        """Click the element (a link: wait for the page it opens to load)."""
        script = f"document.querySelector({json.dumps(selector)}).click()"
        self._loop.run(self._until_loaded(self._evaluate(script)))

    async def _evaluate(self, expression: str) -> Any:
        result = await self._send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def evaluate(self, expression: str) -> Any:
        """A JavaScript expression's value (JSON-able), evaluated in the page."""
        return self._loop.run(self._evaluate(expression))

    def screenshot(self, width: int, height: int) -> bytes:
        """A PNG of the page in a `width` x `height` viewport (device scale 1)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        return base64.b64decode(data)

    def pixel_stats(self, png: bytes) -> dict[str, int]:
        """Decode `png` in this tab (an image drawn on a canvas) and count its pixels:
        width, height, `colours` (distinct RGB values) and `inked` (pixels not white)."""
        self.goto("about:blank")
        source = "data:image/png;base64," + base64.b64encode(png).decode()
        script = """new Promise((done, failed) => {
          const image = new Image();
          image.onerror = () => failed(new Error("the PNG does not decode"));
          image.onload = () => {
            const canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height).data;
            const colours = new Set();
            let inked = 0;
            for (let i = 0; i < pixels.length; i += 4) {
              const rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
              colours.add(rgb);
              if (rgb !== 0xffffff) inked++;
            }
            done({width: image.width, height: image.height, colours: colours.size, inked});
          };
          image.src = SOURCE;
        })""".replace("SOURCE", json.dumps(source))
        stats: dict[str, int] = self.evaluate(script)
        return stats

    def close(self) -> None:
        async def close() -> None:
            if self._ws is not None:
                await self._ws.close()
            if self._reader is not None:
                await self._reader

        self._loop.run(close())


class Chromium:
    """A headless Chromium process of our own (its own profile folder), and its tabs."""

    def __init__(self, executable: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="ghstore-chromium-"))
        self.log = self.profile / "chromium.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its helpers in a process group of its own
            )
        self._loop = _Loop()
        self._session: aiohttp.ClientSession | None = None
        self.port = self._wait_for_port()

    @classmethod
    @contextlib.contextmanager
    def launch(cls) -> Iterator[Chromium]:
        """Chromium (installed first if missing), stopped on leaving."""
        browser = cls(ensure_chromium())
        try:
            yield browser
        finally:
            browser.close()

    def _wait_for_port(self, timeout: float = 30) -> int:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError, ValueError, IndexError):
                return int(port_file.read_text().splitlines()[0])
            time.sleep(0.05)
        self.close()
        raise ChromiumMissing(
            f"Chromium did not open its DevTools port (exit {self.process.returncode}):\n"
            + self.log.read_text(errors="replace")[-2000:]
        )

    def new_page(self) -> Page:
        """A new tab, its domains enabled."""

        async def open_page() -> Page:
            if self._session is None:
                self._session = aiohttp.ClientSession()
            base = f"http://127.0.0.1:{self.port}"
            async with self._session.put(f"{base}/json/new?about:blank") as answer:
                target = await answer.json(content_type=None)
            page = Page(self._loop, self._session, target["webSocketDebuggerUrl"])
            await page._open()
            return page

        return self._loop.run(open_page())

    def close(self) -> None:
        """Stop Chromium (its process group: the helpers it started) and remove its profile."""
        if self._session is not None:
            self._loop.run(self._session.close())
            self._session = None
        self._loop.close()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


@dataclass(frozen=True)
class Png:
    """A PNG checked chunk by chunk: its size and colour type (pixels: `Page.pixel_stats`)."""

    width: int
    height: int
    colour_type: int


def read_png(data: bytes) -> Png:
    """The PNG's header, after checking the signature, every chunk's CRC, that IHDR comes
    first, IEND last, and that the image data inflates to exactly its rows; ValueError if not."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG (wrong signature)")
    kinds: list[bytes] = []
    image = b""
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"PNG chunk {kind!r} fails its CRC")
        if kind == b"IHDR":
            header = body
        image += body if kind == b"IDAT" else b""
        kinds.append(kind)
        offset += 12 + length
    if kinds[0] != b"IHDR" or kinds[-1] != b"IEND":
        raise ValueError(f"PNG chunks out of order: {kinds}")
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    channels = {2: 3, 6: 4}.get(colour_type)
    if depth != 8 or channels is None:
        raise ValueError(f"PNG of depth {depth}, colour type {colour_type}: not RGB(A) 8-bit")
    if len(zlib.decompress(image)) != height * (1 + width * channels):
        raise ValueError("the PNG's image data does not hold its rows")
    return Png(width, height, colour_type)
