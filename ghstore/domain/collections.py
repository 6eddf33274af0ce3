"""Collections: which objects a typed `Repository` owns, stored on GitHub as one label.

An object of collection `users` carries the label `collection:users` beside gh-store 0.11's
labels (`gh-store`, `stored-object`, `UID:{id}`); gh-store 0.11 ignores a label it does not
know, so it still reads, updates and lists the object, and its `delete` (which replaces the
labels with archived + gh-store + UID) takes the object out of the collection as ours does.
Listing a collection asks GitHub for the issues of that one label: ceil(M/100) requests for M
members, however many other objects the repository holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..exceptions import ConfigurationError

__all__ = [
    "COLLECTION_COLOR",
    "COLLECTION_PREFIX",
    "collection_label",
    "collection_of",
    "default_collection_name",
    "validate_collection_name",
]

COLLECTION_PREFIX = "collection:"
COLLECTION_COLOR = "0e8a16"
_LABEL_LIMIT = 50
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def validate_collection_name(name: Any) -> str:
    """A collection name: letters, digits, `_`, `.`, `-`, short enough for its label."""
    limit = _LABEL_LIMIT - len(COLLECTION_PREFIX)
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > limit:
        raise ConfigurationError(
            f"collection name {name!r} is not usable: it must be 1-{limit} letters, digits, "
            "'_', '.' or '-', starting with a letter or digit"
        )
    return name


def collection_label(name: str) -> str:
    """The label that marks the members of a collection."""
    return f"{COLLECTION_PREFIX}{validate_collection_name(name)}"


def collection_of(labels: Sequence[str]) -> str | None:
    """The collection an issue's labels put it in (None: in none)."""
    return next(
        (n[len(COLLECTION_PREFIX) :] for n in labels if n.startswith(COLLECTION_PREFIX)), None
    )


def default_collection_name(record_type: type[Any]) -> str:
    """The collection of `Repository(store, User)`: the class name in snake case (`User` ->
    `user`, `BookReview` -> `book_review`)."""
    name = record_type.__name__
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    return validate_collection_name(snake)
