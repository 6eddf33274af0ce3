"""The JSON GitHub's REST API answers for users, repositories, issues, labels, comments,
reactions and files; ids are the database ids GraphQL calls `databaseId`, and `node_id` is
the GraphQL global id of the same object."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import quote

from .. import access
from ..state import CommentRow, IssueRow, LabelRow, ReactionRow, RepoRow, State, UserRow
from ..state.ids import encode_id

__all__ = ["REACTIONS", "Shapes"]

REACTIONS = {
    "+1": "THUMBS_UP",
    "-1": "THUMBS_DOWN",
    "laugh": "LAUGH",
    "confused": "CONFUSED",
    "heart": "HEART",
    "hooray": "HOORAY",
    "rocket": "ROCKET",
    "eyes": "EYES",
}
"""REST reaction content -> the stored (GraphQL ReactionContent) name."""
_REST_REACTION = {stored: rest for rest, stored in REACTIONS.items()}
_REST_LOCK_REASON = {
    "OFF_TOPIC": "off-topic",
    "TOO_HEATED": "too heated",
    "RESOLVED": "resolved",
    "SPAM": "spam",
}
_ROLLUP_ORDER = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
_PERMISSIONS = {
    "owner": {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True},
    "writer": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
    "none": {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True},
}


class Shapes:
    """Builds REST objects; `api` is the REST root the client addressed."""

    def __init__(self, state: State, api: str, web: str = "https://github.com") -> None:
        self.state = state
        self.api = api
        self.web = web

    # -- users -----------------------------------------------------------------------------
    def user(self, row: UserRow) -> dict[str, Any]:
        """A simple-user."""
        url = f"{self.api}/users/{row.login}"
        return {
            "login": row.login,
            "id": row.id,
            "node_id": encode_id("User", row.id),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{row.id}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": f"{self.web}/{row.login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }

    def full_user(self, row: UserRow) -> dict[str, Any]:
        """A public user (GET /user, GET /users/{username})."""
        public = sum(1 for r in self.state.repositories_of(row.id) if not r.private)
        return {
            **self.user(row),
            "name": None,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": public,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": row.created_at,
            "updated_at": row.created_at,
        }

    def _user_by_id(self, user_id: int) -> dict[str, Any] | None:
        row = self.state.user(user_id)
        return self.user(row) if row else None

    # -- repositories ----------------------------------------------------------------------
    def repo_url(self, repo: RepoRow) -> str:
        """The repository's REST URL."""
        return f"{self.api}/repos/{repo.owner_login}/{repo.name}"

    def repo(self, repo: RepoRow, viewer_role: str) -> dict[str, Any]:
        """A full repository as its viewer sees it."""
        open_issues = len(
            self.state.issue_keys(
                repo.id,
                states=["OPEN"],
                label_groups=[],
                since=None,
                author_id=None,
                order_field="CREATED_AT",
            )
        )
        return {
            **self._repo_identity(repo),
            **_repo_facts(repo, open_issues, self.web),
            "permissions": _permissions(viewer_role),
            **_MERGE_SETTINGS,
            "network_count": 0,
            "subscribers_count": 0,
        }

    def _repo_identity(self, repo: RepoRow) -> dict[str, Any]:
        """A repository's names, owner and URLs: the first fields of its JSON, in GitHub's
        order (@octokit/fixtures' get-repository scenario)."""
        url = self.repo_url(repo)
        owner = self.state.user(repo.owner_id)
        assert owner is not None
        return {
            "id": repo.id,
            "node_id": encode_id("Repository", repo.id),
            "name": repo.name,
            "full_name": f"{repo.owner_login}/{repo.name}",
            "private": bool(repo.private),
            "owner": self.user(owner),
            "html_url": f"{self.web}/{repo.owner_login}/{repo.name}",
            "description": None,
            "fork": False,
            "url": url,
            **{f"{name}_url": f"{url}/{tail}" for name, tail in _REPO_URLS},
        }

    # -- labels, issues, comments, reactions -------------------------------------------------
    def label(self, repo: RepoRow, row: LabelRow) -> dict[str, Any]:
        """A label."""
        return {
            "id": row.id,
            "node_id": encode_id("Label", row.id),
            "url": f"{self.repo_url(repo)}/labels/{quote(row.name, safe='')}",
            "name": row.name,
            "color": row.color,
            "default": False,
            "description": row.description,
            # GitHub's OpenAPI (2026-03-10) requires both; labels are never archived here.
            "archived_at": None,
            "archived_by": None,
        }

    def issue_labels(self, repo: RepoRow, issue_id: int) -> list[dict[str, Any]]:
        """An issue's labels, oldest label first (GraphQL's default order too)."""
        rows = sorted(self.state.labels_of_issue(issue_id), key=lambda lbl: lbl.id)
        return [self.label(repo, row) for row in rows]

    def reactions(self, url: str, kind: str, subject_id: int) -> dict[str, Any]:
        """The reaction rollup of an issue or comment."""
        counts = dict.fromkeys(_ROLLUP_ORDER, 0)
        for row in self.state.reactions_of(kind, subject_id):
            counts[_REST_REACTION[row.content]] += 1
        return {"url": f"{url}/reactions", "total_count": sum(counts.values()), **counts}

    def issue(self, repo: RepoRow, row: IssueRow, *, listed: bool = False) -> dict[str, Any]:
        """An issue; one of a list lacks `closed_by`, as GitHub's lists do."""
        url = f"{self.repo_url(repo)}/issues/{row.number}"
        role = access.role_of(self.state, repo, row.author_id)
        shape = {
            "url": url,
            "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.web}/{repo.owner_login}/{repo.name}/issues/{row.number}",
            "id": row.id,
            "node_id": encode_id("Issue", row.id),
            "number": row.number,
            "title": row.title,
            "user": self._user_by_id(row.author_id),
            "labels": self.issue_labels(repo, row.id),
            "state": row.state.lower(),
            "locked": bool(row.locked),
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "comments": len(self.state.comment_ids(row.id)),
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "closed_at": row.closed_at,
            "author_association": access.association(role),
            "active_lock_reason": _REST_LOCK_REASON.get(row.lock_reason or ""),
            "body": row.body or None,
            "reactions": self.reactions(url, "Issue", row.id),
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": row.state_reason.lower() if row.state_reason else None,
        }
        if not listed:  # who closed it is not recorded; GitHub's schema allows null
            shape["closed_by"] = None
        return shape

    def comment(self, repo: RepoRow, issue_number: int, row: CommentRow) -> dict[str, Any]:
        """An issue comment."""
        url = f"{self.repo_url(repo)}/issues/comments/{row.id}"
        html = f"{self.web}/{repo.owner_login}/{repo.name}/issues/{issue_number}"
        role = access.role_of(self.state, repo, row.author_id)
        return {
            "url": url,
            "html_url": f"{html}#issuecomment-{row.id}",
            "issue_url": f"{self.repo_url(repo)}/issues/{issue_number}",
            "id": row.id,
            "node_id": encode_id("IssueComment", row.id),
            "user": self._user_by_id(row.author_id),
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "author_association": access.association(role),
            "body": row.body,
            "reactions": self.reactions(url, "IssueComment", row.id),
            "performed_via_github_app": None,
        }

    def reaction(self, row: ReactionRow) -> dict[str, Any]:
        """A reaction."""
        return {
            "id": row.id,
            "node_id": encode_id("Reaction", row.id),
            "user": self._user_by_id(row.user_id),
            "content": _REST_REACTION[row.content],
            "created_at": row.created_at,
        }

    # -- files -----------------------------------------------------------------------------
    def file(self, repo: RepoRow, path: str, content: bytes) -> dict[str, Any]:
        """A file of the default branch, base64 in lines of 60 characters as GitHub sends it."""
        sha = hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False)
        encoded = base64.b64encode(content).decode()
        lines = [encoded[i : i + 60] for i in range(0, len(encoded), 60)]
        return {
            **self._entry(repo, path, "file", sha.hexdigest(), len(content)),
            "content": "".join(f"{line}\n" for line in lines),
            "encoding": "base64",
        }

    def directory_entry(self, repo: RepoRow, path: str, kind: str, size: int) -> dict[str, Any]:
        """One entry of a directory listing."""
        return self._entry(repo, path, kind, "0" * 40, size)

    def _entry(self, repo: RepoRow, path: str, kind: str, sha: str, size: int) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/contents/{quote(path)}?ref=main"
        html = f"{self.web}/{repo.owner_login}/{repo.name}/{'blob' if kind == 'file' else 'tree'}"
        git = f"{self.repo_url(repo)}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
        raw = "https://raw.githubusercontent.com"
        return {
            "type": kind,
            "size": size,
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "url": url,
            "git_url": git,
            "html_url": f"{html}/main/{quote(path)}",
            "download_url": (
                f"{raw}/{repo.owner_login}/{repo.name}/main/{quote(path)}"
                if kind == "file"
                else None
            ),
            "_links": {"self": url, "git": git, "html": f"{html}/main/{quote(path)}"},
        }


_REPO_URLS = (
    ("forks", "forks"),
    ("keys", "keys{/key_id}"),
    ("collaborators", "collaborators{/collaborator}"),
    ("teams", "teams"),
    ("hooks", "hooks"),
    ("issue_events", "issues/events{/number}"),
    ("events", "events"),
    ("assignees", "assignees{/user}"),
    ("branches", "branches{/branch}"),
    ("tags", "tags"),
    ("blobs", "git/blobs{/sha}"),
    ("git_tags", "git/tags{/sha}"),
    ("git_refs", "git/refs{/sha}"),
    ("trees", "git/trees{/sha}"),
    ("statuses", "statuses/{sha}"),
    ("languages", "languages"),
    ("stargazers", "stargazers"),
    ("contributors", "contributors"),
    ("subscribers", "subscribers"),
    ("subscription", "subscription"),
    ("commits", "commits{/sha}"),
    ("git_commits", "git/commits{/sha}"),
    ("comments", "comments{/number}"),
    ("issue_comment", "issues/comments{/number}"),
    ("contents", "contents/{+path}"),
    ("compare", "compare/{base}...{head}"),
    ("merges", "merges"),
    ("archive", "{archive_format}{/ref}"),
    ("downloads", "downloads"),
    ("issues", "issues{/number}"),
    ("pulls", "pulls{/number}"),
    ("milestones", "milestones{/number}"),
    ("notifications", "notifications{?since,all,participating}"),
    ("labels", "labels{/name}"),
    ("releases", "releases{/id}"),
    ("deployments", "deployments"),
)
"""The URL templates of a repository, after its `url`, in GitHub's order."""

_MERGE_SETTINGS = {
    "temp_clone_token": "",
    "allow_squash_merge": True,
    "allow_merge_commit": True,
    "allow_rebase_merge": True,
    "allow_auto_merge": False,
    "delete_branch_on_merge": False,
    "allow_update_branch": False,
    "use_squash_pr_title_as_default": False,
}
"""A full repository's merge settings (GitHub's defaults; pull requests are not emulated)."""


def _permissions(viewer_role: str) -> dict[str, bool]:
    if viewer_role == "owner":
        return _PERMISSIONS["owner"]
    return _PERMISSIONS["writer" if access.can_write(viewer_role) else "none"]


def _repo_facts(repo: RepoRow, open_issues: int, web: str) -> dict[str, Any]:
    """A repository's dates, clone URLs, counts and settings, as GitHub lists them."""
    host = web.split("://", 1)[-1]
    path = f"{repo.owner_login}/{repo.name}"
    return {
        "created_at": repo.created_at,
        "updated_at": repo.created_at,
        "pushed_at": repo.created_at,
        "git_url": f"git://{host}/{path}.git",
        "ssh_url": f"git@{host}:{path}.git",
        "clone_url": f"{web}/{path}.git",
        "svn_url": f"{web}/{path}",
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "has_issues": True,
        "has_projects": False,
        "has_downloads": False,
        "has_wiki": False,
        "has_pages": False,
        "has_discussions": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_issues,
        "license": None,
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": [],
        "visibility": "private" if repo.private else "public",
        "forks": 0,
        "open_issues": open_issues,
        "watchers": 0,
        "default_branch": "main",
    }
