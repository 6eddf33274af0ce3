"""ghstore's local GitHub: GitHub's published GraphQL schema executed over SQLite, and the
REST endpoints PyGithub needs (under /api/v3/) over the same state.

Imports nothing from the rest of ghstore. Served over HTTP (`EmulatorServer`,
`ghstore emulator serve`) and in-process (`InProcessTransport`) through the same handling.
Every name is imported on first use: the HTTP face (aiohttp) only when something serves HTTP,
the engine and GitHub's schema only when something runs a local GitHub, so registering
`ghstore emulator serve` on a parser loads neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .controls import Controls, FaultKind, RequestRecord
    from .engine import Emulator, HttpRequest, HttpResponse
    from .graphql.schema import SCHEMA_PACKAGE, SCHEMA_VERSION, github_schema
    from .inprocess import InProcessClient
    from .limits import Limits
    from .server import EmulatorServer, create_app
    from .transport import InProcessTransport

__all__ = [
    "SCHEMA_PACKAGE",
    "SCHEMA_VERSION",
    "Controls",
    "Emulator",
    "EmulatorServer",
    "FaultKind",
    "HttpRequest",
    "HttpResponse",
    "InProcessClient",
    "InProcessTransport",
    "Limits",
    "RequestRecord",
    "create_app",
    "github_schema",
]

# name -> the module that defines it
_LAZY = {
    **dict.fromkeys(("Controls", "FaultKind", "RequestRecord"), "controls"),
    **dict.fromkeys(("Emulator", "HttpRequest", "HttpResponse"), "engine"),
    **dict.fromkeys(("SCHEMA_PACKAGE", "SCHEMA_VERSION", "github_schema"), "graphql.schema"),
    "Limits": "limits",
    **dict.fromkeys(("EmulatorServer", "create_app"), "server"),
    "InProcessClient": "inprocess",
    "InProcessTransport": "transport",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
