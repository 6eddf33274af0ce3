"""gh-store 0.11's storage format on GitHub: titles, bodies, labels and comment envelopes.

Objects and updates written here read the same in gh-store 0.11, and the other way round.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .._version import __version__
from ..config import StoreConfig
from ..exceptions import InvalidUpdate, ObjectTooLarge
from .canonical import ALIAS_PREFIX, DEPRECATED_BY_PREFIX, MERGED_PREFIX, RETIRED_LABEL
from .deep_merge import KeyPath

__all__ = [
    "ARCHIVED_LABEL",
    "BODY_LIMIT",
    "LABEL_COLORS",
    "MAX_JSON_DEPTH",
    "Labels",
    "ParsedComment",
    "dump_body",
    "json_depth",
    "non_string_key",
    "parse_body",
    "parse_comment",
    "strict_json",
    "title_for",
    "update_comment",
    "validate_object_id",
]

BODY_LIMIT = 65_536
LABEL_NAME_LIMIT = 50
MAX_JSON_DEPTH = 100
"""The deepest nesting of objects and arrays in any JSON text ghstore writes or applies.
GitHub sets no such limit; ghstore does, so that merging, checking and encoding an update
never meet Python's recursion limit (a 10,000-deep comment is refused, not a crash)."""
# Characters an id may not hold beyond C0/C1 controls: line and paragraph separators, lone
# surrogates (not encodable), the byte-order mark and bidirectional controls (an id that reads
# differently from what it is).
_ID_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_ID_FORBIDDEN_CHARS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
ARCHIVED_LABEL = "archived"
TITLE_PREFIX = "Stored Object: "
CLIENT_VERSION = f"ghstore/{__version__}"
LABEL_COLORS = {
    "default": "0366d6",
    "namespace": "6f42c1",
    "deprecated": "999999",
    "alias": "fbca04",
    "merge": "d73a49",
}


@frozen
class Labels:
    """The label names this configuration uses."""

    base: str
    namespace: str
    uid_prefix: str

    @classmethod
    def from_config(cls, config: StoreConfig) -> Labels:
        """Label names from the `store:` config."""
        return cls(config.base_label, config.namespace_label, config.uid_prefix)

    def uid(self, object_id: str) -> str:
        """The label that keys an object: `UID:{id}`."""
        return f"{self.uid_prefix}{object_id}"

    def object_id(self, label: str) -> str | None:
        """The object id of a UID label, or None for any other label."""
        return label[len(self.uid_prefix) :] if label.startswith(self.uid_prefix) else None

    def color(self, name: str) -> str:
        """The colour gh-store gives a label it creates."""
        if name == self.namespace:
            return LABEL_COLORS["namespace"]
        if name == RETIRED_LABEL:
            return LABEL_COLORS["deprecated"]
        if name.startswith(ALIAS_PREFIX):
            return LABEL_COLORS["alias"]
        if name.startswith((MERGED_PREFIX, DEPRECATED_BY_PREFIX)):
            return LABEL_COLORS["merge"]
        return LABEL_COLORS["default"]


def validate_object_id(object_id: Any, labels: Labels) -> str:
    """Refuse an id that cannot be a label: empty, too long, padded, control characters, commas."""
    if not isinstance(object_id, str) or not object_id:
        raise InvalidUpdate(
            f"object id must be a non-empty string, got {object_id!r}", object_id=str(object_id)
        )
    problems = []
    limit = LABEL_NAME_LIMIT - len(labels.uid_prefix)
    if len(object_id) > limit:
        problems.append(
            f"longer than {limit} characters ({len(object_id)}); "
            f"its label {labels.uid_prefix}ID is capped at {LABEL_NAME_LIMIT}"
        )
    if object_id != object_id.strip():
        problems.append("leading or trailing white space (GitHub trims label names)")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in object_id):
        problems.append("control characters")
    elif any(
        unicodedata.category(ch) in _ID_FORBIDDEN_CATEGORIES or ch in _ID_FORBIDDEN_CHARS
        for ch in object_id
    ):
        problems.append(
            "invisible or unencodable characters (line separators, surrogates, "
            "byte-order mark, bidirectional controls)"
        )
    if "," in object_id:
        problems.append("a comma (gh-store 0.11 filters labels by comma-separated lists)")
    if problems:
        raise InvalidUpdate(
            f"object id {object_id!r} cannot be stored: " + "; ".join(problems), object_id=object_id
        )
    return object_id


def title_for(object_id: str) -> str:
    """The issue title of an object."""
    return f"{TITLE_PREFIX}{object_id}"


def _reject_non_finite(value: Any, object_id: str | None) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidUpdate(
            f"{value!r} is not valid JSON (NaN and Infinity are not)", object_id=object_id
        )
    if isinstance(value, dict):
        for item in value.values():
            _reject_non_finite(item, object_id)
    elif isinstance(value, list):
        for item in value:
            _reject_non_finite(item, object_id)


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in `value` (0 for a scalar); no recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep(object_id: str | None) -> InvalidUpdate:
    return InvalidUpdate(
        f"the JSON nests deeper than {MAX_JSON_DEPTH} levels of objects and arrays",
        object_id=object_id,
    )


def non_string_key(value: Any) -> Any | None:
    """The first key of a JSON object in `value` that is not a string (None: all are).
    Python's json writes `1` as `"1"`, so such a key would read back as another key."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            bad = next((k for k in item if not isinstance(k, str)), None)
            if bad is not None:
                return bad
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def dump_body(data: Any, object_id: str | None = None) -> str:
    """JSON text with indent 2 (gh-store's layout), refusing what is not JSON, nests
    deeper than MAX_JSON_DEPTH, or has a key that is not a string."""
    if json_depth(data) > MAX_JSON_DEPTH:
        raise _too_deep(object_id)
    bad = non_string_key(data)
    if bad is not None:
        raise InvalidUpdate(
            f"JSON object keys must be strings, got {type(bad).__name__} {bad!r}",
            object_id=object_id,
        )
    try:
        text = json.dumps(data, indent=2, allow_nan=False)
    except RecursionError as exc:
        raise _too_deep(object_id) from exc
    except (TypeError, ValueError) as exc:
        _reject_non_finite(data, object_id)
        raise InvalidUpdate(f"data is not JSON serialisable: {exc}", object_id=object_id) from exc
    return text


def parse_body(body: str, object_id: str) -> dict[str, Any]:
    """The data in an issue body."""
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        raise InvalidUpdate(
            f"issue body of object {object_id!r} is not JSON: {exc}", object_id=object_id
        ) from exc
    if not isinstance(data, dict):
        raise InvalidUpdate(
            f"issue body of object {object_id!r} is not a JSON object", object_id=object_id
        )
    return data


RESERVED_KEYS = ("_ghstore_large", "_ghstore_part")
"""Top-level keys the store writes for large objects: never user data (a stub lookalike
would make the object unreadable)."""


def reserved_key_in(data: dict[str, Any]) -> str | None:
    """The first reserved key at the top level of `data`, if any."""
    return next((key for key in RESERVED_KEYS if key in data), None)


def refuse_reserved(data: dict[str, Any], object_id: str | None) -> None:
    """InvalidUpdate naming a reserved key at the top level of `data`."""
    key = reserved_key_in(data)
    if key is not None:
        raise InvalidUpdate(
            f"the key {key!r} is reserved for the store's own use", object_id=object_id
        )


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def update_comment(
    changes: dict[str, Any],
    issue_number: int,
    object_id: str,
    *,
    initial: bool = False,
    idempotency_key: str | None = None,
    removals: Sequence[KeyPath] = (),
    expected_version: int | None = None,
) -> str:
    """An update comment in gh-store's envelope (indent 2), or ObjectTooLarge. `removals`
    (keys to delete) and `expected_version` go in `_meta`, which gh-store 0.11 ignores."""
    meta: dict[str, Any] = {
        "client_version": CLIENT_VERSION,
        "timestamp": _now_iso(),
        "update_mode": "append",
        "issue_number": issue_number,
    }
    if idempotency_key is not None:
        meta["idempotency_key"] = idempotency_key
    if removals:
        meta[REMOVE_KEY] = [list(path) for path in removals]
    if expected_version is not None:
        meta[EXPECTED_VERSION_KEY] = expected_version
    envelope: dict[str, Any] = {"_data": changes, "_meta": meta}
    if initial:
        envelope["type"] = "initial_state"  # where gh-store 0.11.3 writes it: the top level
    text = dump_body(envelope, object_id)
    if len(text) > BODY_LIMIT:
        raise ObjectTooLarge(
            f"update of object {object_id!r} is {len(text):,} characters; "
            f"a comment holds {BODY_LIMIT:,}",
            object_id=object_id,
            size=len(text),
            limit=BODY_LIMIT,
        )
    return text


@frozen
class ParsedComment:
    """What a comment body means to the store."""

    kind: str
    """"update", "initial_state", or "invalid"."""
    changes: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    reason: str | None = None
    removals: tuple[KeyPath, ...] = ()
    """Keys the update deletes (before its changes are merged)."""
    expected_version: int | None = None
    """The version the writer read: the update applies only on top of exactly that one."""


_META_REQUIRED = ("client_version", "timestamp", "update_mode")
REMOVE_KEY = "remove"
EXPECTED_VERSION_KEY = "expected_version"


class _NotStrictJson(ValueError):
    """Text Python's json module accepts but JSON (RFC 8259) does not mean unambiguously."""


def _refuse_constant(name: str) -> Any:
    raise _NotStrictJson(f"{name} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotStrictJson(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def strict_json(text: str) -> Any:
    """Parse JSON refusing NaN and Infinity (not JSON) and duplicate keys (parsers disagree
    on which one wins, so a reviewer and the processor could read different updates)."""
    return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)


def parse_comment(body: str) -> ParsedComment:
    """Classify a comment: an update (enveloped or legacy), the initial state, or invalid."""
    try:
        payload = strict_json(body)
    except _NotStrictJson as exc:
        return ParsedComment("invalid", reason=f"not valid JSON: {exc}")
    except ValueError:
        return ParsedComment("invalid", reason="not JSON")
    except RecursionError:
        return ParsedComment("invalid", reason=f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(payload, dict):
        return ParsedComment("invalid", reason=f"JSON {type(payload).__name__}, not an object")
    if json_depth(payload) > MAX_JSON_DEPTH:
        return ParsedComment("invalid", reason=f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if "_ghstore_part" in payload and len(payload) == 1:
        # a piece of a large object (ghstore.domain.large), not an update
        return ParsedComment("part")
    data = payload.get("_data", payload)  # legacy: the changes themselves
    if not isinstance(data, dict):
        return ParsedComment("invalid", reason="_data is not a JSON object")
    reserved = reserved_key_in(data)
    if "_data" not in payload:
        if reserved is not None:
            return ParsedComment("invalid", reason=f"the key {reserved!r} is reserved")
        return ParsedComment("update", changes=payload, meta=None)
    meta = payload.get("_meta")
    if not isinstance(meta, dict):
        return ParsedComment("invalid", reason="_meta is missing or not an object")
    if payload.get("type") == "initial_state" or meta.get("type") == "initial_state":
        return ParsedComment("initial_state", changes=data, meta=meta)
    missing = [key for key in _META_REQUIRED if meta.get(key) is None]
    if missing:
        return ParsedComment("invalid", reason=f"_meta lacks {', '.join(missing)}")
    if reserved is not None:
        return ParsedComment("invalid", reason=f"the key {reserved!r} is reserved")
    removals, expected, problem = _meta_extras(meta)
    if problem is not None:
        return ParsedComment("invalid", reason=problem)
    return ParsedComment("update", data, meta, None, removals, expected)


def _meta_extras(meta: dict[str, Any]) -> tuple[tuple[KeyPath, ...], int | None, str | None]:
    """ghstore's own `_meta` keys: (removals, expected version, what is wrong with them)."""
    raw = meta.get(REMOVE_KEY, [])
    if not isinstance(raw, list) or not all(
        isinstance(p, list) and p and all(isinstance(k, str) for k in p) for p in raw
    ):
        return (), None, f"_meta.{REMOVE_KEY} is not a list of key paths (lists of strings)"
    expected = meta.get(EXPECTED_VERSION_KEY)
    if expected is not None and (
        not isinstance(expected, int) or isinstance(expected, bool) or expected < 1
    ):
        return (), None, f"_meta.{EXPECTED_VERSION_KEY} is not a positive integer"
    return tuple(tuple(p) for p in raw), expected, None
