"""Trust.build (ghstore.domain.verdicts): whose updates count and whose marks count (the
processor's identities only), from the configuration and the viewer's permission."""

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
    viewer: str | None = None,
    viewer_permission: str | None = None,
) -> Trust:
    return Trust.build(config or StoreConfig(), viewer=viewer, viewer_permission=viewer_permission)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(PERMISSIONS), st.sampled_from(["bob", "eve", "runner"]))
def test_the_viewer_is_a_processor_exactly_when_it_can_write(
    permission: str | None, viewer: str
) -> None:
    trust = build(viewer=viewer, viewer_permission=permission)
    assert (viewer in trust.processors) == (permission in WRITE_PERMISSIONS)


def test_the_owner_is_no_processor_unless_it_runs_one() -> None:
    assert "acme" not in build(viewer="bob", viewer_permission="WRITE").processors
    assert "acme" in build(viewer="acme", viewer_permission="ADMIN").processors
    assert build().processors == {"github-actions"}


def test_users_and_processors_in_the_config_may_update_and_mark() -> None:
    config = evolve(StoreConfig(), authorized=AuthorizedConfig(users=("carol",)))
    trust = build(config)
    assert trust.may_update("carol", "NONE")
    assert trust.may_update("github-actions", "NONE")  # the default processor identity
    assert trust.processors == {"github-actions"}  # a user who may update does not mark
    assert not trust.may_update("eve", "NONE")


def test_associations_come_from_the_config() -> None:
    default = build()  # the safe default: the OWNER only (authorAssociation is no permission)
    assert default.may_update("acme", "OWNER")
    assert not default.may_update("bob", "COLLABORATOR") and not default.may_update("mia", "MEMBER")
    assert not default.may_update("zed", "CONTRIBUTOR")
    team = build(
        evolve(StoreConfig(), authorized=AuthorizedConfig(("OWNER", "MEMBER", "COLLABORATOR")))
    )
    assert team.may_update("bob", "COLLABORATOR") and team.may_update("mia", "MEMBER")
    assert not team.may_update("zed", "CONTRIBUTOR")
    only_owner = build(evolve(StoreConfig(), authorized=AuthorizedConfig(associations=("OWNER",))))
    assert not only_owner.may_update("bob", "COLLABORATOR")
    assert only_owner.may_update("acme", "OWNER")


def test_the_reactions_come_from_the_config() -> None:
    reactions = ReactionsConfig(processed="heart", rejected="eyes", settled="rocket")
    trust = build(evolve(StoreConfig(), reactions=reactions))
    assert trust.processed == "HEART"
    assert trust.refusals == {"EYES", "CONFUSED"}
    assert trust.settled == "ROCKET"
