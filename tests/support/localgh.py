"""A local GitHub in-process, for the attack tests: stores as any of its people, raw GraphQL
as any of them, and the issue as GitHub holds it (read from the emulator's database)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport import AsyncTransport

from ghstore import Gateway, Store
from ghstore.emulator import Emulator, InProcessTransport
from ghstore.processor import Processor
from support.helpers import NO_PACING, TOKENS, make_emulator, team_config

ISSUE_ID = (
    'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { id } } }'
)
REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
LABEL_ID = (
    'query($l: String!) { repository(owner: "acme", name: "data") { label(name: $l) { id } } }'
)


async def _no_wait(_: float) -> None:
    """Backoffs take no time in these tests."""


class Hooked(AsyncTransport):
    """The in-process transport with `hook(request_number, payload)` run before each request."""

    def __init__(
        self, emulator: Emulator, token: str, hook: Callable[[int, Any], Awaitable[None]]
    ) -> None:
        self.inner = InProcessTransport(emulator, token)
        self.hook = hook
        self.sent = 0

    @property
    def response_headers(self) -> Any:
        return self.inner.response_headers

    async def connect(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def execute(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.sent += 1
        await self.hook(self.sent, request)
        return await self.inner.execute(request, *args, **kwargs)

    def subscribe(self, request: Any) -> Any:
        raise NotImplementedError


class Local:
    """acme/data with acme (owner), bob (collaborator), mia (member), eve (outsider)."""

    def __init__(self, emulator: Emulator | None = None, tokens: dict[str, str] | None = None):
        self.emulator = emulator or make_emulator()
        self.tokens = tokens or TOKENS
        self.stores: list[Store] = []

    def store(self, login: str = "acme", transport: AsyncTransport | None = None) -> Store:
        """A Store on acme/data as `login`, in-process."""
        wire = transport or InProcessTransport(self.emulator, self.tokens[login])
        opened = Store(
            "acme/data",
            Gateway(transport=wire, rate_limit=NO_PACING, sleep=_no_wait),
            team_config(),
        )
        self.stores.append(opened)
        return opened

    def processor(self, login: str = "acme") -> Processor:
        """A processor running as `login` (no waiting between lock attempts)."""
        return Processor(self.store(login), poll=0.0)

    async def raw(self, login: str, query: str, **variables: Any) -> Any:
        """The ExecutionResult of one request (GitHub's errors included, not raised)."""
        transport = InProcessTransport(self.emulator, self.tokens[login])
        return await transport.execute(GraphQLRequest(query, variable_values=variables))

    async def data(self, login: str, query: str, **variables: Any) -> Any:
        """The data of a request that must succeed."""
        client = Client(transport=InProcessTransport(self.emulator, self.tokens[login]))
        async with client as session:
            return await session.execute(GraphQLRequest(query, variable_values=variables))

    async def issue_id(self, number: int) -> str:
        return str((await self.data("acme", ISSUE_ID, n=number))["repository"]["issue"]["id"])

    async def comment(self, login: str, number: int, body: str) -> Any:
        """Post a raw comment as `login`; the ExecutionResult."""
        return await self.raw(
            login,
            "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) "
            "{ commentEdge { node { id } } } }",
            s=await self.issue_id(number),
            b=body,
        )

    async def comment_id(self, login: str, number: int, body: str) -> str:
        result = await self.comment(login, number, body)
        assert not result.errors, result.errors
        return str(result.data["addComment"]["commentEdge"]["node"]["id"])

    async def flood(self, login: str, number: int, bodies: list[str]) -> list[str]:
        """Post many raw comments as `login`, 50 aliased into a request; their node ids."""
        issue = await self.issue_id(number)
        ids: list[str] = []
        for start in range(0, len(bodies), 50):
            chunk = bodies[start : start + 50]
            fields = " ".join(
                f"c{i}: addComment(input: {{subjectId: $s, body: {json.dumps(b)}}}) "
                "{ commentEdge { node { id } } }"
                for i, b in enumerate(chunk)
            )
            data = await self.data(login, f"mutation($s: ID!) {{ {fields} }}", s=issue)
            ids += [data[f"c{i}"]["commentEdge"]["node"]["id"] for i in range(len(chunk))]
        return ids

    async def react(self, login: str, subject: str, content: str) -> None:
        """Add a reaction as `login`."""
        await self.data(
            login,
            "mutation($s: ID!, $c: ReactionContent!) { addReaction(input: {subjectId: $s, "
            "content: $c}) { clientMutationId } }",
            s=subject,
            c=content,
        )

    async def newest_comment(self, number: int) -> str:
        """The node id of an issue's newest comment."""
        data = await self.data(
            "acme",
            'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) '
            "{ comments(last: 1) { nodes { id } } } } }",
            n=number,
        )
        return str(data["repository"]["issue"]["comments"]["nodes"][0]["id"])

    async def label_id(self, name: str) -> str | None:
        label = (await self.data("acme", LABEL_ID, l=name))["repository"]["label"]
        return None if label is None else str(label["id"])

    async def relabel(self, number: int, name: str, *, add: bool) -> None:
        """Add or remove a label on an issue by hand, as the owner."""
        field = "addLabelsToLabelable" if add else "removeLabelsFromLabelable"
        label = await self.label_id(name)
        assert label is not None, name
        await self.data(
            "acme",
            f"mutation($i: ID!, $l: [ID!]!) {{ {field}(input: {{labelableId: $i, labelIds: $l}}) "
            "{ clientMutationId } }",
            i=await self.issue_id(number),
            l=[label],
        )

    def issue(self, number: int) -> dict[str, Any]:
        """The issue as GitHub holds it: state, labels, body, comments with their marks."""
        state = self.emulator.state
        issue = state.issue_by_number(1, number)
        assert issue is not None
        logins = {u: (state.user(u).login if state.user(u) else "ghost") for u in range(1, 10)}
        comments = [
            {
                "author": logins.get(c.author_id),
                "body": c.body,
                "edited": c.last_edited_at is not None,
                "marks": {
                    (r.content, logins.get(r.user_id))
                    for r in state.reactions_of("IssueComment", c.id)
                },
            }
            for c in state.comments_by_ids(state.comment_ids(issue.id))
        ]
        return {
            "state": issue.state,
            "labels": {label.name for label in state.labels_of_issue(issue.id)},
            "body": json.loads(issue.body) if issue.body.strip().startswith("{") else issue.body,
            "author": logins.get(issue.author_id),
            "comments": comments,
        }

    def issue_count(self) -> int:
        state = self.emulator.state
        count = 0
        while state.issue_by_number(1, count + 1) is not None:
            count += 1
        return count

    def label_names(self) -> set[str]:
        return {label.name for label in self.emulator.state.labels_of_repo(1)}

    def mutations_by(self, login: str) -> list[str]:
        """Top-level mutation fields `login` sent, as the request log has them."""
        return [
            name
            for record in self.emulator.controls.log
            if record.login == login and record.kind == "mutation"
            for name in record.fields
        ]

    async def close(self) -> None:
        for opened in self.stores:
            await opened.close()
