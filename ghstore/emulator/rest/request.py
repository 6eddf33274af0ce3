"""A REST request being answered (`RestRequest`: who asks, what the path names, which page),
what a handler answers (`Reply`), and the routes that map requests to handlers."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from attrs import define, field, frozen

from .. import access
from ..exchange import API_PREFIX, JsonBody
from ..state import IssueRow, RepoRow, State, UserRow
from .errors import RestError, not_found
from .shapes import Shapes

if TYPE_CHECKING:
    from ..engine import Emulator

__all__ = ["API_PREFIX", "Handler", "Reply", "RestRequest", "Route", "parse_query"]

"""Where GitHub Enterprise Server serves REST, and so where PyGithub's `base_url` points."""
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100

T = TypeVar("T")


@frozen
class Reply:
    """A successful answer."""

    status: int
    body: JsonBody
    headers: dict[str, str] = field(factory=dict)


@define
class RestRequest:
    """One authenticated REST request, as its handler sees it: the viewer, the route's path
    parameters, the query and the body, and lookups of what the path names."""

    emulator: Emulator
    user: UserRow
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    raw_body: bytes
    origin: str
    accept: str = ""
    """The Accept header: `application/vnd.github.raw` (or `.v3.raw`) asks for raw contents."""

    @property
    def state(self) -> State:
        """The emulator's SQLite state."""
        return self.emulator.state

    @property
    def api(self) -> str:
        """The REST root as the client addressed it, e.g. http://127.0.0.1:PORT/api/v3."""
        return f"{self.origin}{API_PREFIX}"

    def now(self) -> str:
        """The emulator's clock as GitHub prints timestamps."""
        return self.emulator.now()

    def json(self) -> Any:
        """The request body as JSON (an empty body is an empty object)."""
        if not self.raw_body.strip():
            return {}
        try:
            return json.loads(self.raw_body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RestError(400, "Problems parsing JSON") from exc

    def json_object(self) -> dict[str, Any]:
        """The request body, which must be a JSON object."""
        body = self.json()
        if not isinstance(body, dict):
            raise RestError(400, "Problems parsing JSON")
        return body

    # -- what the path names -----------------------------------------------------------
    def repo(self) -> RepoRow:
        """The repository of the path, if the viewer may read it (404 otherwise)."""
        repo = self.state.repository_by_name(self.params["owner"], self.params["repo"])
        if repo is None or not access.can_read(repo, self.role(repo)):
            raise not_found()
        return repo

    def role(self, repo: RepoRow) -> str:
        """The viewer's role in the repository: owner, collaborator, member or none."""
        return access.role_of(self.state, repo, self.user.id)

    def shapes(self) -> Shapes:
        """The JSON builder for this request's REST root."""
        return Shapes(self.state, self.api)

    def issue(self, repo: RepoRow) -> IssueRow:
        """The issue whose number the path names (404 when absent)."""
        number = self.int_param("issue_number")
        issue = self.state.issue_by_number(repo.id, number)
        if issue is None:
            raise not_found()
        return issue

    def int_param(self, name: str) -> int:
        """A numeric path parameter (anything else names nothing: 404)."""
        value = self.params[name]
        if not value.isdigit():
            raise not_found()
        return int(value)

    # -- pages -------------------------------------------------------------------------
    def _query_int(self, name: str, default: int) -> int:
        value = self.query.get(name, "")
        return int(value) if re.fullmatch(r"-?\d+", value.strip()) else default

    def page(self, items: Sequence[T]) -> tuple[list[T], dict[str, str]]:
        """The requested page of `items` (per_page <= 100, default 30) and its Link header."""
        per_page = self._query_int("per_page", DEFAULT_PER_PAGE)
        per_page = DEFAULT_PER_PAGE if per_page < 1 else min(per_page, MAX_PER_PAGE)
        number = max(1, self._query_int("page", 1))
        last = max(1, math.ceil(len(items) / per_page))
        chunk = list(items[(number - 1) * per_page : number * per_page])
        links = []
        if number > 1:
            links.append((min(number - 1, last), "prev"))
        if number < last:
            links += [(number + 1, "next"), (last, "last")]
        if number > 1:
            links.append((1, "first"))
        if not links:
            return chunk, {}
        header = ", ".join(f'<{self._page_url(n)}>; rel="{rel}"' for n, rel in links)
        return chunk, {"Link": header}

    def _page_url(self, number: int) -> str:
        query = {k: v for k, v in self.query.items() if k != "page"}
        query["page"] = str(number)
        return f"{self.origin}{self.path}?{urlencode(query)}"


Handler = Callable[[RestRequest], Reply]


@frozen
class Route:
    """A method and a path template such as `/repos/{owner}/{repo}/issues/{issue_number}`.

    A last segment `{path+}` takes the rest of the path, slashes included.
    """

    method: str
    template: str
    handler: Handler
    content_field: str | None = None
    """The GraphQL mutation this request counts as for the content-creation limit."""

    @property
    def operation(self) -> str:
        """How the request log names requests of this route."""
        return f"{self.method} {self.template}"

    def match(self, method: str, parts: Sequence[str]) -> dict[str, str] | None:
        """The path parameters when `parts` (decoded segments) fit this route."""
        if method != self.method:
            return None
        pattern = self.template.strip("/").split("/")
        params: dict[str, str] = {}
        for index, piece in enumerate(pattern):
            if piece.endswith("+}"):
                rest = parts[index:]
                if not rest or not all(rest):
                    return None
                params[piece[1:-2]] = "/".join(rest)
                return params
            if index >= len(parts):
                return None
            if piece.startswith("{"):
                if not parts[index]:
                    return None
                params[piece[1:-1]] = parts[index]
            elif piece != parts[index]:
                return None
        return params if len(parts) == len(pattern) else None


def parse_query(query: str) -> dict[str, str]:
    """A query string as a dict (the last of repeated names wins)."""
    return dict(parse_qsl(query, keep_blank_values=True))
