"""Resolvers for the mutations the emulator implements; each runs as one SQLite transaction.

GitHub's rules (who may, what a title or a body must be, locks, closing) are `issue_rules`,
which the REST face calls too; a broken one answers UNPROCESSABLE (see `errors`)."""

from __future__ import annotations

from typing import Any

from .. import access, issue_rules
from ..state import CommentRow, IssueRow, ReactionRow, RepoRow
from ..state.ids import decode_id
from .errors import NotEmulated, forbidden, not_found_node
from .issue_views import CommentView, IssueView, LabelView
from .pagination import cursor_of
from .query_views import RepositoryView, UserView, load_node, readable_repo
from .reaction_views import ReactionGroupView, ReactionView
from .views import Payload, View

__all__ = ["MutationView"]


def _reject_unemulated(mutation: str, payload: dict[str, Any], allowed: set[str]) -> None:
    for key, value in payload.items():
        if key not in allowed and value not in (None, [], False):
            raise NotEmulated(f"Input field '{key}' of mutation '{mutation}'")


class MutationView(View):
    """The Mutation root: createIssue, updateIssue, addComment, addReaction, ..."""

    typename = "Mutation"

    # -- helpers ---------------------------------------------------------------------------
    def _now(self) -> str:
        return self._ctx.now()

    def _role(self, repo: RepoRow) -> str:
        return access.role_of(self._ctx.state, repo, self._ctx.viewer.id)

    def _require_triage(self, repo: RepoRow, mutation: str) -> None:
        if not issue_rules.may_triage(self._role(repo)):
            raise forbidden(self._ctx.viewer.login, mutation)

    def _repo(self, global_id: str) -> RepoRow:
        decoded = decode_id(global_id)
        repo = (
            readable_repo(self._ctx, decoded[1]) if decoded and decoded[0] == "Repository" else None
        )
        if repo is None:
            raise not_found_node(global_id)
        return repo

    def _issue(self, global_id: str) -> tuple[IssueRow, RepoRow]:
        decoded = decode_id(global_id)
        if decoded and decoded[0] == "Issue":
            issue = self._ctx.state.issue(decoded[1])
            repo = readable_repo(self._ctx, issue.repo_id) if issue else None
            if issue and repo:
                return issue, repo
        raise not_found_node(global_id)

    def _comment(self, global_id: str) -> tuple[CommentRow, IssueRow, RepoRow]:
        decoded = decode_id(global_id)
        if decoded and decoded[0] == "IssueComment":
            comment = self._ctx.state.comment(decoded[1])
            issue = self._ctx.state.issue(comment.issue_id) if comment else None
            repo = readable_repo(self._ctx, issue.repo_id) if issue else None
            if comment and issue and repo:
                return comment, issue, repo
        raise not_found_node(global_id)

    def _label_ids(self, repo: RepoRow, global_ids: list[str]) -> list[int]:
        found = []
        for global_id in global_ids:
            decoded = decode_id(global_id)
            label = self._ctx.state.label(decoded[1]) if decoded and decoded[0] == "Label" else None
            if label is None or label.repo_id != repo.id:
                raise not_found_node(global_id)
            found.append(label.id)
        return found

    def _issue_payload(self, typename: str, inp: dict[str, Any], issue_id: int) -> Payload:
        row = self._ctx.state.issue(issue_id)
        assert row is not None
        return Payload(
            self._ctx,
            typename,
            clientMutationId=inp.get("clientMutationId"),
            issue=IssueView(self._ctx, row),
            actor=UserView(self._ctx, self._ctx.viewer),
        )

    # -- issues ----------------------------------------------------------------------------
    def createIssue(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        _reject_unemulated(
            "createIssue", input, {"repositoryId", "title", "body", "labelIds", "clientMutationId"}
        )
        repo = self._repo(input["repositoryId"])
        body = input.get("body") or ""
        issue_rules.check_title(input["title"], self._ctx.limits)
        issue_rules.check_body("Issue", body, self._ctx.limits)
        # Labels from someone without triage access are dropped silently, as GitHub does.
        label_ids = self._label_ids(repo, input.get("labelIds") or [])
        if not issue_rules.may_triage(self._role(repo)):
            label_ids = []
        state = self._ctx.state
        with state.atomic():
            issue = state.create_issue(
                repo.id, input["title"], body, self._ctx.viewer.id, self._now()
            )
            state.add_labels(issue.id, label_ids)
        return self._issue_payload("CreateIssuePayload", input, issue.id)

    def updateIssue(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        _reject_unemulated(
            "updateIssue", input, {"id", "title", "body", "labelIds", "state", "clientMutationId"}
        )
        issue, repo = self._issue(input["id"])
        role = self._role(repo)
        labelling = input.get("labelIds") is not None
        if not issue_rules.may_edit_issue(role, issue, self._ctx.viewer.id) or (
            labelling and not issue_rules.may_triage(role)
        ):
            raise forbidden(self._ctx.viewer.login, "UpdateIssue")
        limits = self._ctx.limits
        if input.get("title") is not None:
            issue_rules.check_title(input["title"], limits)
        if input.get("body") is not None:
            issue_rules.check_body("Issue", input["body"], limits)
        now = self._now()
        changes: dict[str, Any] = {}
        if input.get("title") is not None:
            changes["title"] = input["title"]
        if input.get("body") is not None:
            changes["body"] = input["body"]
            changes["last_edited_at"] = now
        if input.get("state") is not None and input["state"] != issue.state:
            changes.update(issue_rules.transition(input["state"], now))
        state = self._ctx.state
        with state.atomic():
            if input.get("labelIds") is not None:
                wanted = set(self._label_ids(repo, input["labelIds"]))
                current = {lbl.id for lbl in state.labels_of_issue(issue.id)}
                state.remove_labels(issue.id, sorted(current - wanted))
                state.add_labels(issue.id, sorted(wanted - current))
            changes["updated_at"] = now
            state.update_issue(issue.id, **changes)
        return self._issue_payload("UpdateIssuePayload", input, issue.id)

    def _set_state(
        self, inp: dict[str, Any], mutation: str, new_state: str, reason: str | None
    ) -> Payload:
        issue, repo = self._issue(inp["issueId"])
        if not issue_rules.may_edit_issue(self._role(repo), issue, self._ctx.viewer.id):
            raise forbidden(self._ctx.viewer.login, mutation)
        now = self._now()
        with self._ctx.state.atomic():
            self._ctx.state.update_issue(
                issue.id, updated_at=now, **issue_rules.transition(new_state, now, reason)
            )
        return self._issue_payload(f"{mutation}Payload", inp, issue.id)

    def closeIssue(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        _reject_unemulated("closeIssue", input, {"issueId", "stateReason", "clientMutationId"})
        reason = input.get("stateReason") or "COMPLETED"
        if reason == "DUPLICATE":
            raise NotEmulated("Closing as DUPLICATE (input field 'duplicateIssueId')")
        return self._set_state(input, "CloseIssue", "CLOSED", reason)

    def reopenIssue(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._set_state(input, "ReopenIssue", "OPEN", None)

    def deleteIssue(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        issue, repo = self._issue(input["issueId"])
        if not issue_rules.may_delete_issue(self._role(repo)):
            raise forbidden(self._ctx.viewer.login, "DeleteIssue")
        with self._ctx.state.atomic():
            self._ctx.state.delete_issue(issue.id)
        return Payload(
            self._ctx,
            "DeleteIssuePayload",
            clientMutationId=input.get("clientMutationId"),
            repository=RepositoryView(self._ctx, repo),
        )

    # -- comments --------------------------------------------------------------------------
    def addComment(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        issue, repo = self._issue(input["subjectId"])
        issue_rules.check_unlocked(issue, self._role(repo), "comment")
        issue_rules.check_body("IssueComment", input["body"], self._ctx.limits)
        issue_rules.check_comment_text(input["body"])
        state = self._ctx.state
        now = self._now()
        with state.atomic():
            comment = state.create_comment(issue.id, self._ctx.viewer.id, input["body"], now)
            state.update_issue(issue.id, updated_at=now)
        view = CommentView(self._ctx, comment, repo)
        edge = Payload(
            self._ctx, "IssueCommentEdge", cursor=cursor_of((comment.id, comment.id)), node=view
        )
        fresh = state.issue(issue.id)
        assert fresh is not None
        return Payload(
            self._ctx,
            "AddCommentPayload",
            clientMutationId=input.get("clientMutationId"),
            commentEdge=edge,
            subject=IssueView(self._ctx, fresh, repo),
        )

    def updateIssueComment(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        comment, issue, repo = self._comment(input["id"])
        role = self._role(repo)
        if not issue_rules.may_edit_comment(role, comment, self._ctx.viewer.id):
            raise forbidden(self._ctx.viewer.login, "UpdateIssueComment")
        issue_rules.check_unlocked(issue, role, "edit comment")
        issue_rules.check_body("IssueComment", input["body"], self._ctx.limits)
        with self._ctx.state.atomic():
            self._ctx.state.update_comment(comment.id, input["body"], self._now())
        fresh = self._ctx.state.comment(comment.id)
        assert fresh is not None
        return Payload(
            self._ctx,
            "UpdateIssueCommentPayload",
            clientMutationId=input.get("clientMutationId"),
            issueComment=CommentView(self._ctx, fresh, repo),
        )

    def deleteIssueComment(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        comment, _issue, repo = self._comment(input["id"])
        if not issue_rules.may_edit_comment(self._role(repo), comment, self._ctx.viewer.id):
            raise forbidden(self._ctx.viewer.login, "DeleteIssueComment")
        with self._ctx.state.atomic():
            self._ctx.state.delete_comment(comment.id)
        return Payload(
            self._ctx, "DeleteIssueCommentPayload", clientMutationId=input.get("clientMutationId")
        )

    # -- reactions -------------------------------------------------------------------------
    def _react(self, inp: dict[str, Any], adding: bool) -> Payload:
        decoded = decode_id(inp["subjectId"])
        if decoded is None or decoded[0] not in ("Issue", "IssueComment"):
            raise not_found_node(inp["subjectId"])
        if decoded[0] == "Issue":
            issue, repo = self._issue(inp["subjectId"])
        else:
            _comment, issue, repo = self._comment(inp["subjectId"])
        issue_rules.check_unlocked(issue, self._role(repo), "react")
        state = self._ctx.state
        row: ReactionRow | None
        with state.atomic():
            if adding:
                row = state.add_reaction(
                    decoded[0], decoded[1], self._ctx.viewer.id, inp["content"], self._now()
                )
            else:
                row = state.remove_reaction(
                    decoded[0], decoded[1], self._ctx.viewer.id, inp["content"]
                )
        subject = load_node(self._ctx, decoded[0], decoded[1])
        assert subject is not None
        groups: list[ReactionGroupView] = subject.reactionGroups()  # type: ignore[attr-defined]
        return Payload(
            self._ctx,
            "AddReactionPayload" if adding else "RemoveReactionPayload",
            clientMutationId=inp.get("clientMutationId"),
            subject=subject,
            reactionGroups=groups,
            reaction=ReactionView(self._ctx, row) if row else None,
        )

    def addReaction(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._react(input, adding=True)

    def removeReaction(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._react(input, adding=False)

    # -- labels ----------------------------------------------------------------------------
    def createLabel(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        repo = self._repo(input["repositoryId"])
        self._require_triage(repo, "CreateLabel")
        name, description, limits = input["name"], input.get("description"), self._ctx.limits
        issue_rules.check_label_name(name, limits)
        color = issue_rules.label_color(input["color"])
        issue_rules.check_label_description(description, limits)
        state = self._ctx.state
        issue_rules.check_label_unique(state, repo.id, name)
        with state.atomic():
            label = state.create_label(repo.id, name, color, description, self._now())
        return Payload(
            self._ctx,
            "CreateLabelPayload",
            clientMutationId=input.get("clientMutationId"),
            label=LabelView(self._ctx, label),
        )

    def deleteLabel(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        decoded = decode_id(input["id"])
        label = self._ctx.state.label(decoded[1]) if decoded and decoded[0] == "Label" else None
        repo = readable_repo(self._ctx, label.repo_id) if label else None
        if label is None or repo is None:
            raise not_found_node(input["id"])
        self._require_triage(repo, "DeleteLabel")
        with self._ctx.state.atomic():
            self._ctx.state.delete_label(label.id)
        return Payload(
            self._ctx, "DeleteLabelPayload", clientMutationId=input.get("clientMutationId")
        )

    def _relabel(self, inp: dict[str, Any], mutation: str, adding: bool) -> Payload:
        issue, repo = self._issue(inp["labelableId"])
        self._require_triage(repo, mutation)
        label_ids = self._label_ids(repo, inp["labelIds"])
        state = self._ctx.state
        with state.atomic():
            if adding:
                state.add_labels(issue.id, label_ids)
            else:
                state.remove_labels(issue.id, label_ids)
            state.update_issue(issue.id, updated_at=self._now())
        fresh = state.issue(issue.id)
        assert fresh is not None
        return Payload(
            self._ctx,
            f"{mutation}Payload",
            clientMutationId=inp.get("clientMutationId"),
            labelable=IssueView(self._ctx, fresh, repo),
        )

    def addLabelsToLabelable(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._relabel(input, "AddLabelsToLabelable", adding=True)

    def removeLabelsFromLabelable(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._relabel(input, "RemoveLabelsFromLabelable", adding=False)

    # -- locking ---------------------------------------------------------------------------
    def _lock(self, inp: dict[str, Any], mutation: str, locked: bool) -> Payload:
        issue, repo = self._issue(inp["lockableId"])
        self._require_triage(repo, mutation)
        with self._ctx.state.atomic():
            self._ctx.state.update_issue(
                issue.id,
                locked=locked,
                lock_reason=inp.get("lockReason") if locked else None,
                updated_at=self._now(),
            )
        fresh = self._ctx.state.issue(issue.id)
        assert fresh is not None
        record: dict[str, View] = {
            "lockedRecord" if locked else "unlockedRecord": IssueView(self._ctx, fresh, repo)
        }
        return Payload(
            self._ctx,
            f"{mutation}Payload",
            clientMutationId=inp.get("clientMutationId"),
            actor=UserView(self._ctx, self._ctx.viewer),
            **record,
        )

    def lockLockable(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._lock(input, "LockLockable", locked=True)

    def unlockLockable(self, input: dict[str, Any]) -> Payload:  # noqa: A002
        return self._lock(input, "UnlockLockable", locked=False)
