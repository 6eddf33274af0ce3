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
    assert store.authorized.associations == ("OWNER",)


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
        ("store:\n  retrys: 3\n", "$.store.retrys"),
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


# The config.yml of gh-store's README (the spec), as written there.
SPEC_CONFIG = """\
store:
  base_label: "stored-object"
  processed_reaction: "+1"
  retries:
    max_attempts: 3
    backoff_factor: 2
  rate_limit:
    max_requests_per_hour: 1000
  log:
    level: "INFO"
    format: "{time} | {level} | {message}"
"""


def test_the_spec_s_config_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text(SPEC_CONFIG)
    store = load_config(path).store
    assert store.reactions.processed == "+1"
    assert (store.log.level, store.log.format) == ("INFO", "{time} | {level} | {message}")


@pytest.mark.parametrize(
    "text",
    ["store:\n  processed_reaction: heart\n", "store:\n  reactions:\n    processed: heart\n"],
    ids=["spec-vocabulary", "gh-store-0.11-vocabulary"],
)
def test_both_vocabularies_name_the_processed_reaction(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.yml"
    path.write_text(text)
    assert load_config(path).store.reactions.processed == "heart"


def test_both_vocabularies_at_once_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("store:\n  processed_reaction: heart\n  reactions:\n    processed: '+1'\n")
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    assert "store.processed_reaction and store.reactions.processed say different" in str(
        caught.value
    )
    path.write_text("store:\n  processed_reaction: heart\n  reactions:\n    processed: heart\n")
    assert load_config(path).store.reactions.processed == "heart"


def test_an_unknown_key_is_one_line_naming_it_and_what_is_known_there(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("store:\n  reactions:\n    procesed: heart\n")
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        f"{path}: unknown key 'store.reactions.procesed'; known under store.reactions: "
        "processed, initial_state, rejected, invalid, settled"
    )


@pytest.mark.parametrize(
    ("log", "says"),
    [
        ("level: LOUD", "log level 'LOUD' is not one of"),
        ("format: '{time} {lvl}'", "unknown field(s) ['lvl']"),
        ("format: '{time'", "log format '{time'"),
    ],
    ids=["level", "field", "brace"],
)
def test_a_log_level_or_format_ghstore_cannot_honour_is_refused(
    tmp_path: Path, log: str, says: str
) -> None:
    path = tmp_path / "config.yml"
    path.write_text(f"store:\n  log:\n    {log}\n")
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    assert says in str(caught.value)
    assert caught.value.key_path == "$.store.log"
