"""Objects larger than an issue body (65,536 characters).

An object whose JSON fits stays in gh-store 0.11's plain format. A larger one is stored as a
small JSON stub in the issue body and part comments, in one of two formats (both are read):

- format 2 (written now): the stub is `{"_ghstore_large": {"format": 2, "version": V,
  "parts": N, "chunks": [H1, ..., HN], "sha256": H, "encoding": "gzip+base64",
  "json_chars": C}}`; the object's compact JSON is cut into content-defined chunks
  (`ghstore.domain.chunking`), chunk i of SHA-256 Hi stored in a part comment
  `{"_ghstore_part": {"version": V', "sha256": Hi, "data": BASE64_GZIP}}` (V' the version that
  first stored it); H is the SHA-256 of the whole text. A new version stores only the chunks
  the issue does not hold yet, so an update adds content in proportion to the change;
- format 1 (written when format 2 would need more than `max_parts` parts: a whole-object
  gzip packs highly compressible JSON tighter): the stub `{"format": 1, "version": V,
  "parts": N, "sha256": H, ...}` and N part comments `{"_ghstore_part": {"version": V,
  "index": i, "of": N, "data": CHUNK}}` whose chunks joined are the base64 of the gzip of
  the object's JSON (H is its SHA-256).

Parts are written before the stub that names them, so a reader never meets a stub whose
parts are missing; parts are never deleted, so an older stub's parts stay as audit trail and
as the chunks a newer one reuses. Only parts by an authorized author count, and every chunk
and the whole must match their hashes. The ceiling is `max_parts` parts of 60,000 characters;
anything larger is ObjectTooLarge before a request is sent.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import uuid
import zlib
from collections.abc import Callable, Collection, Sequence
from typing import Any

from attrs import field, frozen

from ..exceptions import InvalidUpdate, ObjectTooLarge
from .chunking import Chunk, chunks_of, decode_chunk
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
    "stored_chunks",
]

STUB_KEY = "_ghstore_large"
PART_KEY = "_ghstore_part"
PART_CHARS = 60_000
MAX_PARTS = 100
_PART_ROOM = PART_CHARS - 200  # the part's JSON around its data: key, version, hash


@frozen
class Encoded:
    """An object as it is written: the issue body and, for a large object, the part comments
    to post (those the issue does not hold already)."""

    body: str
    parts: list[str]
    stub: dict[str, Any] | None


def _compact(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"))


def _too_large(object_id: str, count: int, max_parts: int) -> ObjectTooLarge:
    limit = PART_CHARS * max_parts
    return ObjectTooLarge(
        f"object {object_id!r} takes {count} parts even compressed; "
        f"the ceiling is {max_parts} parts of {PART_CHARS:,} characters",
        object_id=object_id,
        size=count * PART_CHARS,
        limit=limit,
    )


@frozen
class _Layout:
    """How an object is laid out: its indented body text and, when that does not fit, the
    compact JSON and either its chunks (format 2) or its whole-object parts (format 1)."""

    text: str
    compact: bytes = b""
    chunks: list[Chunk] = field(factory=list)
    whole: list[str] = field(factory=list)
    """Format 1: the base64 of the gzip of the compact JSON, in PART_CHARS pieces."""


def _whole(data: dict[str, Any], object_id: str, max_parts: int) -> tuple[str, bytes, list[str]]:
    """(the indented body text, the compact JSON, and, when the body does not fit, the base64
    of the gzip of the whole in PART_CHARS pieces: format 1, the tightest there is)."""
    if not isinstance(data, dict):
        raise InvalidUpdate(
            f"object data must be a JSON object, got {type(data).__name__}", object_id=object_id
        )
    text = dump_body(data, object_id)
    if len(text) <= BODY_LIMIT:
        return text, b"", []
    compact = _compact(data).encode()
    payload = base64.b64encode(gzip.compress(compact, mtime=0)).decode()
    whole = [payload[i : i + PART_CHARS] for i in range(0, len(payload), PART_CHARS)]
    if len(whole) > max_parts:
        raise _too_large(object_id, len(whole), max_parts)
    return text, compact, whole


def _layout(data: dict[str, Any], object_id: str, max_parts: int) -> _Layout:
    text, compact, whole = _whole(data, object_id, max_parts)
    if not compact:
        return _Layout(text)
    chunks = chunks_of(compact, _PART_ROOM)
    if len(chunks) <= max_parts:
        return _Layout(text, compact, chunks)
    return _Layout(text, compact, [], whole)


def encode_object(
    data: dict[str, Any],
    object_id: str,
    max_parts: int = MAX_PARTS,
    stored: Collection[str] = (),
) -> Encoded:
    """How `data` is written: plain when it fits an issue body, else a stub and the parts of
    the chunks not `stored` on the issue already (SHA-256s of chunks its current stub names)."""
    layout = _layout(data, object_id, max_parts)
    if not layout.compact:
        return Encoded(layout.text, [], None)
    if layout.whole:
        return _encoded_v1(layout)
    version = uuid.uuid4().hex
    chunks = layout.chunks
    stub = {
        STUB_KEY: {
            "format": 2,
            "version": version,
            "parts": len(chunks),
            "chunks": [c.sha256 for c in chunks],
            "sha256": hashlib.sha256(layout.compact).hexdigest(),
            "encoding": "gzip+base64",
            "json_chars": len(layout.text),
        }
    }
    new: dict[str, Chunk] = {c.sha256: c for c in chunks if c.sha256 not in stored}
    parts = [
        json.dumps({PART_KEY: {"version": version, "sha256": c.sha256, "data": c.data}})
        for c in new.values()
    ]
    return Encoded(json.dumps(stub, indent=2), parts, stub)


def _encoded_v1(layout: _Layout) -> Encoded:
    version, count = uuid.uuid4().hex, len(layout.whole)
    raw = base64.b64decode("".join(layout.whole))
    stub = {
        STUB_KEY: {
            "format": 1,
            "version": version,
            "parts": count,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "encoding": "gzip+base64",
            "json_chars": len(layout.text),
        }
    }
    parts = [
        json.dumps({PART_KEY: {"version": version, "index": i, "of": count, "data": chunk}})
        for i, chunk in enumerate(layout.whole)
    ]
    return Encoded(json.dumps(stub, indent=2), parts, stub)


def stored_chunks(body: str) -> frozenset[str]:
    """The SHA-256s of the chunks an issue body's stub names (none: not a format-2 stub)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return frozenset()
    if not isinstance(parsed, dict) or not is_stub(parsed):
        return frozenset()
    chunks = parsed[STUB_KEY].get("chunks")
    if parsed[STUB_KEY].get("format") != 2 or not isinstance(chunks, list):
        return frozenset()
    return frozenset(c for c in chunks if isinstance(c, str))


def size_check(
    object_id: str, max_parts: int = MAX_PARTS
) -> Callable[[dict[str, Any]], str | None]:
    """A check the processor runs on each new state: None when it can be stored, else why not."""

    def check(data: dict[str, Any]) -> str | None:
        try:  # storable as format 1 is storable: format 2 is used where it fits as well
            _whole(data, object_id, max_parts)
        except ObjectTooLarge as exc:
            return exc.message
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


def _missing(object_id: str, count: Any, found: int) -> InvalidUpdate:
    return InvalidUpdate(
        f"object {object_id!r} is stored in {count} parts and only {found} were found",
        object_id=object_id,
    )


def _corrupt(object_id: str, why: object) -> InvalidUpdate:
    return InvalidUpdate(
        f"object {object_id!r}: its parts are corrupt ({why})", object_id=object_id
    )


def _trusted_parts(comments: Sequence[Any], trusted: Callable[[Any], bool]) -> list[dict[str, Any]]:
    return [
        part
        for comment in comments
        if (part := parse_part(comment.body)) is not None and trusted(comment)
    ]


def has_parts(
    stub: dict[str, Any], comments: Sequence[Any], trusted: Callable[[Any], bool]
) -> bool:
    """Every part the stub names is among these comments, by a trusted author (a reader
    reading back from the newest comment may stop)."""
    info = stub[STUB_KEY]
    parts = _trusted_parts(comments, trusted)
    if info.get("format") == 2:
        wanted, have = info.get("chunks"), {p.get("sha256") for p in parts}
        return isinstance(wanted, list) and all(sha in have for sha in wanted)
    version, count = info.get("version"), info.get("parts")
    have = {p.get("index") for p in parts if p.get("version") == version}
    return isinstance(count, int) and all(i in have for i in range(count))


def assemble(
    stub: dict[str, Any], object_id: str, comments: Sequence[Any], trusted: Callable[[Any], bool]
) -> dict[str, Any]:
    """The object a stub names, joined from the parts trusted authors wrote."""
    info = stub[STUB_KEY]
    parts = _trusted_parts(comments, trusted)
    if info.get("format") == 2:
        text = _joined_chunks(info, object_id, parts)
    else:
        text = _joined_v1(info, object_id, parts)
    try:
        data = json.loads(text)  # bytes: UTF-8 (a bad byte is a ValueError too)
    except ValueError as exc:
        raise _corrupt(object_id, exc) from exc
    if not isinstance(data, dict):
        raise _corrupt(object_id, "not a JSON object")
    return data


def _joined_chunks(info: dict[str, Any], object_id: str, parts: list[dict[str, Any]]) -> bytes:
    """Format 2: each chunk the stub names, from any trusted part of that SHA-256."""
    wanted = info.get("chunks")
    if not isinstance(wanted, list):
        raise _corrupt(object_id, "the stub lists no chunks")
    offered: dict[str, list[str]] = {}
    for part in parts:
        if isinstance(part.get("sha256"), str) and isinstance(part.get("data"), str):
            offered.setdefault(part["sha256"], []).append(part["data"])
    found = sum(1 for sha in wanted if sha in offered)
    if found < len(wanted):
        raise _missing(object_id, len(wanted), found)
    pieces = []
    for sha in wanted:
        piece = next((b for d in offered[sha] if (b := decode_chunk(d, sha)) is not None), None)
        if piece is None:
            raise _corrupt(object_id, f"chunk {sha[:12]} does not match its hash")
        pieces.append(piece)
    joined = b"".join(pieces)
    if hashlib.sha256(joined).hexdigest() != info.get("sha256"):
        raise _corrupt(object_id, "hash mismatch")
    return joined


def _joined_v1(info: dict[str, Any], object_id: str, parts: list[dict[str, Any]]) -> bytes:
    """Format 1: parts of the stub's version, by index, joined into one gzip+base64 stream."""
    version, count = info.get("version"), info.get("parts")
    chunks: dict[int, str] = {}
    for part in parts:
        index = part.get("index")
        data = part.get("data")
        if part.get("version") == version and isinstance(index, int) and isinstance(data, str):
            chunks.setdefault(index, data)
    if not isinstance(count, int) or any(i not in chunks for i in range(count)):
        raise _missing(object_id, count, len(chunks))
    try:
        raw = base64.b64decode("".join(chunks[i] for i in range(count)))
        if hashlib.sha256(raw).hexdigest() != info.get("sha256"):
            raise ValueError("hash mismatch")
        return gzip.decompress(raw)
    except (ValueError, OSError, EOFError, zlib.error) as exc:
        raise _corrupt(object_id, exc) from exc
