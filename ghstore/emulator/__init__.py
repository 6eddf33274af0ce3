"""ghstore's local GitHub: GitHub's published GraphQL schema executed over SQLite, and the
REST endpoints PyGithub needs (under /api/v3/) over the same state.

Imports nothing from the rest of ghstore. Served over HTTP (`EmulatorServer`,
`ghstore emulator serve`) and in-process (`InProcessTransport`) through the same handling.
"""

from .controls import Controls, FaultKind, RequestRecord
from .engine import Emulator, HttpRequest, HttpResponse
from .graphql.schema import SCHEMA_PACKAGE, SCHEMA_VERSION, github_schema
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
    "InProcessTransport",
    "Limits",
    "RequestRecord",
    "create_app",
    "github_schema",
]
