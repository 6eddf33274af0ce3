"""Configuration: gh-store 0.11's YAML keys and defaults, refused loudly when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from ghstore import ConfigurationError, load_config


def test_no_file_means_gh_store_defaults() -> None:
    store = load_config(None).store
    assert (store.base_label, store.uid_prefix) == ("stored-object", "UID:")
    assert (store.reactions.processed, store.reactions.initial_state) == ("+1", "rocket")
    assert (store.retries.max_attempts, store.retries.backoff_factor) == (3, 2)
    assert store.rate_limit.max_requests_per_hour == 1000
    assert (store.log.level, store.log.format) == ("INFO", "{time} | {level} | {message}")
    assert store.authorized.associations == ("OWNER", "MEMBER", "COLLABORATOR")


def test_a_gh_store_config_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text(
        "store:\n  base_label: thing\n  uid_prefix: 'ID:'\n  reactions:\n    processed: heart\n"
        "  retries:\n    max_attempts: 5\n    backoff_factor: 1.5\n"
    )
    store = load_config(path).store
    assert (store.base_label, store.uid_prefix, store.reactions.processed) == (
        "thing",
        "ID:",
        "heart",
    )
    assert (store.retries.max_attempts, store.retries.backoff_factor) == (5, 1.5)


@pytest.mark.parametrize(
    ("text", "key_path"),
    [
        ("store:\n  retrys: 3\n", "$.store"),
        ("store:\n  retries:\n    max_attempts: three\n", "$.store.retries.max_attempts"),
        ("store:\n  retries:\n    max_attempts: true\n", "$.store.retries.max_attempts"),
        ("store:\n  reactions:\n    processed: thumbsup\n", "$.store.reactions"),
        ("store:\n  authorized:\n    associations: [OWNER, FRIEND]\n", "$.store.authorized"),
    ],
    ids=["unknown-key", "wrong-type", "bool-for-int", "unknown-reaction", "unknown-association"],
)
def test_a_wrong_key_or_type_is_a_configuration_error_naming_the_key_path(
    tmp_path: Path, text: str, key_path: str
) -> None:
    path = tmp_path / "config.yml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    assert caught.value.key_path == key_path
    assert str(path) in str(caught.value)


def test_a_missing_or_unparsable_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_config(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("store: [unclosed\n")
    with pytest.raises(ConfigurationError, match="not valid YAML"):
        load_config(bad)
