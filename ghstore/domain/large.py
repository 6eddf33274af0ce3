"""Objects larger than an issue body (65,536 characters).

An object whose JSON fits stays in gh-store 0.11's plain format. A larger one is stored as:

- the issue body: a small JSON stub, `{"_ghstore_large": {"format": 1, "version": V, "parts": N,
  "sha256": H, "encoding": "gzip+base64", "json_chars": C}}`;
- N part comments, `{"_ghstore_part": {"version": V, "index": i, "of": N, "data": CHUNK}}`,
  whose chunks joined are the base64 of the gzip of the object's JSON (H is its SHA-256).

Parts are written before the stub that names their version, so a reader never meets a stub
whose parts are missing; a new version leaves the old parts as audit trail. Only parts by an
authorized author count, and the joined data must match the stub's hash. The ceiling is
`max_parts` parts of 60,000 characters (about 6 MB of compressed data, far more as JSON);
anything larger is ObjectTooLarge before a request is sent.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import uuid
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from ..exceptions import InvalidUpdate, ObjectTooLarge
from .format import BODY_LIMIT, dump_body

__all__ = [
    "MAX_PARTS",
    "PART_CHARS",
    "PART_KEY",
    "STUB_KEY",
    "Encoded",
    "assemble",
    "encode_object",
    "has_parts",
    "is_stub",
    "parse_part",
    "size_check",
]

STUB_KEY = "_ghstore_large"
PART_KEY = "_ghstore_part"
PART_CHARS = 60_000
MAX_PARTS = 100


@frozen
class Encoded:
    """An object as it is written: the issue body and, for a large object, its part comments."""

    body: str
    parts: list[str]
    stub: dict[str, Any] | None


def _compressed(data: dict[str, Any]) -> bytes:
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0)


def _too_large(object_id: str, size: int, max_parts: int) -> ObjectTooLarge:
    limit = PART_CHARS * max_parts
    return ObjectTooLarge(
        f"object {object_id!r} is {size:,} characters even compressed; "
        f"the ceiling is {limit:,} ({max_parts} parts of {PART_CHARS:,})",
        object_id=object_id,
        size=size,
        limit=limit,
    )


def encode_object(data: dict[str, Any], object_id: str, max_parts: int = MAX_PARTS) -> Encoded:
    """How `data` is written: plain when it fits an issue body, else a stub and parts."""
    if not isinstance(data, dict):
        raise InvalidUpdate(
            f"object data must be a JSON object, got {type(data).__name__}", object_id=object_id
        )
    text = dump_body(data, object_id)
    if len(text) <= BODY_LIMIT:
        return Encoded(text, [], None)
    raw = _compressed(data)
    payload = base64.b64encode(raw).decode()
    if len(payload) > PART_CHARS * max_parts:
        raise _too_large(object_id, len(payload), max_parts)
    version = uuid.uuid4().hex
    chunks = [payload[i : i + PART_CHARS] for i in range(0, len(payload), PART_CHARS)]
    stub = {
        STUB_KEY: {
            "format": 1,
            "version": version,
            "parts": len(chunks),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "encoding": "gzip+base64",
            "json_chars": len(text),
        }
    }
    parts = [
        json.dumps({PART_KEY: {"version": version, "index": i, "of": len(chunks), "data": chunk}})
        for i, chunk in enumerate(chunks)
    ]
    return Encoded(json.dumps(stub, indent=2), parts, stub)


def size_check(
    object_id: str, max_parts: int = MAX_PARTS
) -> Callable[[dict[str, Any]], str | None]:
    """A check the processor runs on each new state: None when it can be stored, else why not."""

    def check(data: dict[str, Any]) -> str | None:
        if len(dump_body(data, object_id)) <= BODY_LIMIT:
            return None
        size = len(base64.b64encode(_compressed(data)))
        if size > PART_CHARS * max_parts:
            return _too_large(object_id, size, max_parts).message
        return None

    return check


def is_stub(data: dict[str, Any]) -> bool:
    """The issue body of a large object."""
    return set(data) == {STUB_KEY} and isinstance(data[STUB_KEY], dict)


def parse_part(body: str) -> dict[str, Any] | None:
    """The part a comment carries, if it is one."""
    if not body.startswith('{"' + PART_KEY + '"'):
        return None
    try:
        part = json.loads(body)[PART_KEY]
    except (ValueError, KeyError, TypeError):
        return None
    return part if isinstance(part, dict) else None


def _chunks(
    stub: dict[str, Any], comments: Sequence[Any], trusted: Callable[[Any], bool]
) -> dict[int, str]:
    """The chunks of the stub's version that trusted authors wrote, by index."""
    version = stub[STUB_KEY].get("version")
    chunks: dict[int, str] = {}
    for comment in comments:
        part = parse_part(comment.body)
        if part is None or part.get("version") != version or not trusted(comment):
            continue
        index = part.get("index")
        if isinstance(index, int) and isinstance(part.get("data"), str):
            chunks.setdefault(index, part["data"])
    return chunks


def has_parts(
    stub: dict[str, Any], comments: Sequence[Any], trusted: Callable[[Any], bool]
) -> bool:
    """Every part the stub names is among these comments."""
    count = stub[STUB_KEY].get("parts")
    chunks = _chunks(stub, comments, trusted)
    return isinstance(count, int) and all(i in chunks for i in range(count))


def assemble(
    stub: dict[str, Any], object_id: str, comments: Sequence[Any], trusted: Callable[[Any], bool]
) -> dict[str, Any]:
    """The object a stub names, joined from the parts trusted authors wrote."""
    info = stub[STUB_KEY]
    count = info.get("parts")
    chunks = _chunks(stub, comments, trusted)
    if not isinstance(count, int) or any(i not in chunks for i in range(count)):
        raise InvalidUpdate(
            f"object {object_id!r} is stored in {count} parts and only {len(chunks)} were found",
            object_id=object_id,
        )
    try:
        raw = base64.b64decode("".join(chunks[i] for i in range(count)))
        if hashlib.sha256(raw).hexdigest() != info.get("sha256"):
            raise ValueError("hash mismatch")
        data = json.loads(gzip.decompress(raw))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (ValueError, OSError, EOFError, zlib.error) as exc:
        raise InvalidUpdate(
            f"object {object_id!r}: its parts are corrupt ({exc})", object_id=object_id
        ) from exc
    return data
