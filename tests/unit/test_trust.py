"""Trust.build (ghstore.domain.verdicts): whose updates count and whose processed marks count,
from the configuration, the repository owner and the viewer's permission."""

from __future__ import annotations

from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from ghstore.config import AuthorizedConfig, ReactionsConfig, StoreConfig
from ghstore.domain.verdicts import WRITE_PERMISSIONS, Trust

PERMISSIONS = ["ADMIN", "MAINTAIN", "WRITE", "TRIAGE", "READ", None]


def build(
    config: StoreConfig | None = None,
    *,
    owner: str | None = "acme",
    viewer: str | None = None,
    viewer_permission: str | None = None,
    issue_authors: list[tuple[str | None, str]] | None = None,
) -> Trust:
    return Trust.build(
        config or StoreConfig(),
        owner=owner,
        viewer=viewer,
        viewer_permission=viewer_permission,
        issue_authors=issue_authors or [],
    )


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(PERMISSIONS), st.sampled_from(["bob", "eve", "runner"]))
def test_the_viewer_is_a_marker_exactly_when_it_can_write(
    permission: str | None, viewer: str
) -> None:
    trust = build(viewer=viewer, viewer_permission=permission)
    assert (viewer in trust.markers) == (permission in WRITE_PERMISSIONS)


def test_the_owner_and_a_writing_viewer_are_markers_and_a_reader_is_not() -> None:
    assert {"acme", "bob"} <= build(viewer="bob", viewer_permission="WRITE").markers
    assert "eve" not in build(viewer="eve", viewer_permission="READ").markers
    assert "acme" not in build(owner=None).markers


def test_users_and_processors_in_the_config_may_update_and_mark() -> None:
    config = evolve(StoreConfig(), authorized=AuthorizedConfig(users=("carol",)))
    trust = build(config)
    assert trust.may_update("carol", "NONE")
    assert trust.may_update("github-actions", "NONE")  # the default processor identity
    assert {"carol", "github-actions"} <= trust.markers
    assert not trust.may_update("eve", "NONE")


def test_associations_come_from_the_config() -> None:
    default = build()
    assert default.may_update("bob", "COLLABORATOR") and default.may_update("mia", "MEMBER")
    assert not default.may_update("zed", "CONTRIBUTOR")
    only_owner = build(evolve(StoreConfig(), authorized=AuthorizedConfig(associations=("OWNER",))))
    assert not only_owner.may_update("bob", "COLLABORATOR")
    assert only_owner.may_update("acme", "OWNER")


def test_authors_on_the_issue_with_an_authorized_association_become_markers() -> None:
    trust = build(issue_authors=[("bob", "COLLABORATOR"), ("eve", "NONE"), (None, "MEMBER")])
    assert "bob" in trust.markers
    assert "eve" not in trust.markers
    assert None not in trust.markers


def test_the_reactions_come_from_the_config() -> None:
    config = evolve(StoreConfig(), reactions=ReactionsConfig(processed="heart", rejected="eyes"))
    trust = build(config)
    assert trust.processed == "HEART"
    assert trust.refusals == {"EYES", "CONFUSED"}
