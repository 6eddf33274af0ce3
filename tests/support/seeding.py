"""Many objects at once: copies of one object the Store made, loaded into the local GitHub's
state in bulk (`State.load_issues`), so a test or the bench has 1,000 objects in a second,
not 1,000 creates. Each copy is its own object id, optionally with its own data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ghstore.emulator import Emulator
from ghstore.emulator.state import SeedComment, SeedIssue, State
from ghstore.model import StoredObject

__all__ = ["copies_of", "load_copies"]


def _with_data(comment: dict[str, Any], data: dict[str, Any] | None, number: int) -> str:
    comment["_meta"]["issue_number"] = number
    if data is not None and comment.get("type") == "initial_state":
        comment["_data"] = data
    return json.dumps(comment, indent=2)


def copies_of(
    state: State, repo_id: int, number: int, objects: Mapping[str, dict[str, Any] | None]
) -> list[SeedIssue]:
    """Copies of issue #number (an object the Store made), one a key of `objects` (its object
    id), each holding the data given there (None: the template's own)."""
    issue = state.issue_by_number(repo_id, number)
    assert issue is not None
    labels = [label.name for label in state.labels_of_issue(issue.id)]
    uid = next(name for name in labels if name.startswith("UID:")).removeprefix("UID:")
    comments = state.comments_by_ids(state.comment_ids(issue.id))
    marks = [tuple(r.content for r in state.reactions_of("IssueComment", c.id)) for c in comments]
    first = state.next_issue_number(repo_id)
    seeds = []
    for n, (object_id, data) in enumerate(objects.items()):
        bodies = [_with_data(json.loads(c.body), data, first + n) for c in comments]
        seeds.append(
            SeedIssue(
                title=issue.title.replace(uid, object_id),
                body=issue.body if data is None else json.dumps(data, indent=2),
                state=issue.state,
                labels=tuple(name.replace(uid, object_id) for name in labels),
                comments=tuple(SeedComment(b, m) for b, m in zip(bodies, marks, strict=True)),
            )
        )
    return seeds


def load_copies(
    emulator: Emulator,
    repo: str,
    template: StoredObject[Any],
    objects: Mapping[str, dict[str, Any] | None],
) -> None:
    """Load copies of `template` (made by a Store in `repo`, OWNER/NAME) as the objects of
    `objects` (id -> data, None: the template's), authored by the repository's owner."""
    state = emulator.state
    owner_login, name = repo.split("/")
    found, owner = state.repository_by_name(owner_login, name), state.user_by_login(owner_login)
    assert found is not None and owner is not None
    seeds = copies_of(state, found.id, template.meta.issue_number, objects)
    state.load_issues(found.id, owner.id, seeds, emulator.now())
