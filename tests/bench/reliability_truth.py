"""What the local GitHub holds after a fault run, read straight from its database, and the
checks that hold it against the operations that ran (bench.reliability).

The oracle does not ask ghstore what happened. It reads issues, labels, comments and
reactions from the emulator's state, and decides from the operations' unique tokens which of
them landed, where, and how often; the state a fault-free run of exactly those operations
reaches is then the fold of the landed updates, in GitHub's comment order, onto the data of
the create that made the object.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from attrs import define, field

from ghstore.domain.deep_merge import deep_merge
from ghstore.emulator import Emulator

__all__ = ["CommentTruth", "IssueTruth", "Op", "Read", "Verdict", "check", "read_truth"]

AUTHORIZED = frozenset({"acme", "bob", "mia"})
PROCESSORS = frozenset({"acme", "bob"})
"""Whom processors run as in the fault runs."""
BASE, ARCHIVED, UID = "stored-object", "archived", "UID:"
TITLE = "Stored Object: "


@define
class Op:
    """One write a client attempted, and how it ended for the caller."""

    kind: str
    """create, update or delete."""
    login: str
    object_id: str
    token: str
    data: dict[str, Any] | None
    start: int
    end: int = -1
    outcome: str = "pending"
    """ok (returned), raised (may or may not have landed), refused (known not to have)."""
    error: str | None = None


@define
class Read:
    """A successful get: what it returned, and when it started."""

    login: str
    object_id: str
    data: dict[str, Any]
    start: int


@define
class CommentTruth:
    """One comment as GitHub holds it."""

    author: str
    body: str
    reactions: frozenset[tuple[str, str]]
    edited: bool


@define
class IssueTruth:
    """One issue as GitHub holds it."""

    number: int
    title: str
    state: str
    labels: frozenset[str]
    body: str
    author: str
    comments: list[CommentTruth]

    @property
    def object_id(self) -> str | None:
        """The id of its UID label, if any."""
        return next((n[len(UID) :] for n in self.labels if n.startswith(UID)), None)

    @property
    def live(self) -> bool:
        """A stored object (the base label and a UID label)."""
        return BASE in self.labels and self.object_id is not None


def read_truth(emulator: Emulator, repo: str = "acme/data") -> tuple[list[IssueTruth], list[str]]:
    """Every issue of the repository, and the names of its labels."""
    state = emulator.state
    owner, _, name = repo.partition("/")
    row = state.repository_by_name(owner, name)
    assert row is not None
    logins: dict[int, str] = {}

    def login(user_id: int) -> str:
        if user_id not in logins:
            user = state.user(user_id)
            logins[user_id] = user.login if user else "ghost"
        return logins[user_id]

    issues = []
    number = 1
    while (issue := state.issue_by_number(row.id, number)) is not None:
        comments = [
            CommentTruth(
                login(c.author_id),
                c.body,
                frozenset(
                    (r.content, login(r.user_id)) for r in state.reactions_of("IssueComment", c.id)
                ),
                c.last_edited_at is not None,
            )
            for c in state.comments_by_ids(state.comment_ids(issue.id))
        ]
        labels = frozenset(label.name for label in state.labels_of_issue(issue.id))
        issues.append(
            IssueTruth(
                issue.number,
                issue.title,
                issue.state,
                labels,
                issue.body,
                login(issue.author_id),
                comments,
            )
        )
        number += 1
    return issues, [label.name for label in state.labels_of_repo(row.id)]


def update_data(body: str) -> dict[str, Any] | None:
    """The changes of a well-formed update comment (the envelope ghstore and gh-store write)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or "type" in payload:
        return None
    data, meta = payload.get("_data"), payload.get("_meta")
    if not isinstance(data, dict) or not isinstance(meta, dict) or "type" in meta:
        return None
    if any(meta.get(k) is None for k in ("client_version", "timestamp", "update_mode")):
        return None
    return data


def tokens_of(data: dict[str, Any] | None) -> list[str]:
    """The update tokens a change or a body carries (under "u")."""
    found = (data or {}).get("u")
    return list(found) if isinstance(found, dict) else []


@define
class Verdict:
    """What the checks found."""

    lost: int = 0
    twice: int = 0
    duplicate_objects: int = 0
    differing: int = 0
    unprocessed: int = 0
    stale_reads: int = 0
    stray_issues: int = 0
    open_archives: int = 0
    leftovers: int = 0
    """Locks left, issues an outsider made."""
    problems: list[str] = field(factory=list)

    def add(self, kind: str, message: str, count: int = 1) -> None:
        """Count a violation of `kind` and keep its message."""
        setattr(self, kind, getattr(self, kind) + count)
        self.problems.append(f"{kind}: {message}")

    @property
    def clean(self) -> bool:
        """No loss, no double application, nothing differing from a clean run."""
        return not (
            self.lost
            or self.twice
            or self.duplicate_objects
            or self.differing
            or self.unprocessed
            or self.stale_reads
            or self.leftovers
        )


def check(
    ops: list[Op],
    reads: list[Read],
    issues: list[IssueTruth],
    repo_labels: list[str],
    stranded: set[str],
) -> Verdict:
    """Hold the final state against the operations; `stranded` are tokens of accepted
    updates that the open-issues sweep left unapplied."""
    verdict = Verdict()
    by_number = {i.number: i for i in issues}
    creates = {op.token: op for op in ops if op.kind == "create"}
    updates = {op.token: op for op in ops if op.kind == "update"}
    # where each update token landed: (issue number, comment index) per authorized comment
    landed: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for issue in issues:
        for index, comment in enumerate(issue.comments):
            changes = update_data(comment.body)
            if comment.author in AUTHORIZED and changes is not None:
                for token in tokens_of(changes):
                    if token in updates:
                        landed[token].append((issue.number, index))
    live: dict[str, list[IssueTruth]] = defaultdict(list)
    for issue in issues:
        if issue.live:
            live[issue.object_id or ""].append(issue)
    _check_objects(verdict, live, creates)
    gen_of = {i.number: _gen(i) for i in issues}
    for token, places in landed.items():
        per_issue = Counter(number for number, _ in places)
        repeated = sum(n - 1 for n in per_issue.values())
        live_issues = [n for n in per_issue if by_number[n].live]
        repeated += max(0, len(live_issues) - 1)
        if repeated:
            verdict.add("twice", f"update {token} posted {repeated + 1} times: {places}", repeated)
    for op in updates.values():
        _check_update(verdict, op, landed.get(op.token, []), by_number, ops, stranded)
    _check_lifecycle(verdict, ops, live)
    _check_reads(verdict, reads, updates, landed, gen_of)
    _check_leftovers(verdict, issues, repo_labels)
    return verdict


def _gen(issue: IssueTruth) -> str | None:
    try:
        body = json.loads(issue.body)
    except ValueError:
        return None
    return body.get("gen") if isinstance(body, dict) else None


def _check_objects(
    verdict: Verdict, live: dict[str, list[IssueTruth]], creates: dict[str, Op]
) -> None:
    for object_id, found in live.items():
        if len(found) > 1:
            numbers = [i.number for i in found]
            verdict.add("duplicate_objects", f"{object_id!r} is live {len(found)} times: {numbers}")
        for issue in found:
            _check_object(verdict, object_id, issue, creates)


def _check_object(
    verdict: Verdict, object_id: str, issue: IssueTruth, creates: dict[str, Op]
) -> None:
    try:
        body = json.loads(issue.body)
    except ValueError:
        verdict.add("differing", f"#{issue.number} ({object_id}) has a body that is not JSON")
        return
    create = creates.get(str(body.get("gen"))) if isinstance(body, dict) else None
    if create is None or create.data is None:
        verdict.add("differing", f"#{issue.number} ({object_id}) holds no create's data: {body}")
        return
    expected = create.data
    for comment in issue.comments:
        changes = update_data(comment.body)
        if comment.author not in AUTHORIZED or changes is None:
            continue
        if not {("THUMBS_UP", p) for p in PROCESSORS} & comment.reactions:
            verdict.add("unprocessed", f"#{issue.number}: an update left unapplied: {changes}")
        expected = deep_merge(expected, changes)
    if body != expected:
        verdict.add(
            "differing",
            f"#{issue.number} ({object_id}) is {body}, a fault-free run gives {expected}",
        )
    if issue.state != "CLOSED":
        verdict.add("unprocessed", f"#{issue.number} ({object_id}) is still open")
    for comment in issue.comments:
        if comment.author in AUTHORIZED or update_data(comment.body) is None:
            continue
        refused = {(mark, p) for mark in ("THUMBS_DOWN", "CONFUSED") for p in PROCESSORS}
        if not refused & comment.reactions:
            verdict.add("unprocessed", f"#{issue.number}: an outsider's update was not refused")


def _check_update(
    verdict: Verdict,
    op: Op,
    places: list[tuple[int, int]],
    by_number: dict[int, IssueTruth],
    ops: list[Op],
    stranded: set[str],
) -> None:
    if op.login not in AUTHORIZED:
        applied = [
            i.number for i in by_number.values() if i.live and op.token in tokens_of(_body(i))
        ]
        if applied:
            verdict.add("lost", f"outsider {op.login}'s update {op.token} applied on {applied}")
        return
    if op.token in stranded:
        verdict.add("lost", f"accepted update {op.token} of {op.object_id!r} stranded")
    live = [n for n, _ in places if by_number[n].live]
    for number in live:
        if op.token not in tokens_of(_body(by_number[number])):
            verdict.add("lost", f"update {op.token} landed on #{number} but is not in its body")
    if op.outcome != "ok":
        return
    if not places:
        verdict.add("lost", f"accepted update {op.token} of {op.object_id!r} never landed")
        return
    target = _current_create(op, ops)
    if target is not None and all(_gen(by_number[n]) != target.token for n, _ in places):
        numbers = [n for n, _ in places]
        verdict.add(
            "lost",
            f"accepted update {op.token} of {op.object_id!r} went to #{numbers}, not to the "
            f"object that create {target.token} made",
        )


def _current_create(op: Op, ops: list[Op]) -> Op | None:
    """The create whose object an update must reach: the one accepted create of its id since
    the last accepted delete before it, with no other create or delete since (else None)."""
    same = [o for o in ops if o.object_id == op.object_id and o is not op]
    deleted = [d.end for d in same if d.kind == "delete" and d.outcome == "ok" and d.end < op.start]
    since = max(deleted, default=-1)
    around = [
        o for o in same if o.kind in ("create", "delete") and o.end > since and o.start < op.end
    ]
    if len(around) != 1:
        return None
    create = around[0]
    ok = create.kind == "create" and create.outcome == "ok" and create.end < op.start
    return create if ok else None


def _body(issue: IssueTruth) -> dict[str, Any]:
    try:
        body = json.loads(issue.body)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _check_lifecycle(verdict: Verdict, ops: list[Op], live: dict[str, list[IssueTruth]]) -> None:
    for op in ops:
        if op.outcome != "ok" or op.kind not in ("create", "delete"):
            continue
        later = [
            o
            for o in ops
            if o.object_id == op.object_id and o.kind in ("create", "delete") and o.end > op.start
        ]
        later = [o for o in later if o is not op]
        gens = {_gen(i) for i in live.get(op.object_id, [])}
        deleted = any(o.kind == "delete" for o in later)
        if op.kind == "create" and not deleted and op.token not in gens:
            verdict.add("lost", f"accepted create {op.token} of {op.object_id!r} is gone")
        if op.kind == "delete" and not any(o.kind == "create" for o in later) and gens:
            verdict.add("lost", f"accepted delete of {op.object_id!r} left it live: {gens}")


def _check_reads(
    verdict: Verdict,
    reads: list[Read],
    updates: dict[str, Op],
    landed: dict[str, list[tuple[int, int]]],
    gen_of: dict[int, str | None],
) -> None:
    for read in reads:
        seen = set(tokens_of(read.data))
        for op in updates.values():
            if op.object_id != read.object_id or op.outcome != "ok" or op.end >= read.start:
                continue
            if op.login not in AUTHORIZED:
                continue
            on = {gen_of.get(number) for number, _ in landed.get(op.token, [])}
            if read.data.get("gen") in on and op.token not in seen:
                verdict.add(
                    "stale_reads",
                    f"{read.login}'s get of {read.object_id!r} missed accepted update {op.token}",
                )


def _check_leftovers(verdict: Verdict, issues: list[IssueTruth], repo_labels: list[str]) -> None:
    objects = {f"ghstore-lock:{i.number}" for i in issues if i.live}
    locks = [n for n in repo_labels if n in objects]  # a lock on an archive is never looked at
    if locks:
        verdict.add("leftovers", f"locks left on objects: {locks}", len(locks))
    for issue in issues:
        if ARCHIVED in issue.labels and issue.state != "CLOSED":
            verdict.open_archives += 1  # a stale update reopened it and died before closing it
        if issue.author not in AUTHORIZED:
            verdict.add("leftovers", f"#{issue.number} opened by {issue.author}")
        if issue.title.startswith(TITLE) and not issue.labels & {BASE, ARCHIVED}:
            verdict.stray_issues += 1
