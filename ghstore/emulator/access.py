"""Who may do what in a repository, as GitHub decides it for a public repository."""

from __future__ import annotations

from .state import RepoRow, State

__all__ = ["ROLES", "association", "can_read", "can_write", "role_of"]

ROLES = ("collaborator", "member", "none")
_WRITERS = {"owner", "collaborator", "member"}
_ASSOCIATIONS = {"owner": "OWNER", "member": "MEMBER", "collaborator": "COLLABORATOR"}


def role_of(state: State, repo: RepoRow, user_id: int) -> str:
    """owner, collaborator, member, or none."""
    if repo.owner_id == user_id:
        return "owner"
    return state.role(repo.id, user_id) or "none"


def can_write(role: str) -> bool:
    """Triage/write access: label, edit, close, reopen and lock any issue; edit any comment."""
    return role in _WRITERS


def can_read(repo: RepoRow, role: str) -> bool:
    """Anyone reads a public repository; a private one only its owner and people with a role."""
    return not repo.private or role != "none"


def association(role: str) -> str:
    """The CommentAuthorAssociation that a role shows on issues and comments."""
    return _ASSOCIATIONS.get(role, "NONE")
