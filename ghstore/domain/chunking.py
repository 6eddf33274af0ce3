"""Content-defined chunks of a large object's JSON, so that a small change to the object
changes one or two chunks, not all that follow it.

The object's compact JSON, as UTF-8, is cut after a candidate byte (`,` or `0`: common in
structure, numbers and hex alike, and never part of a multi-byte character) whose preceding
`WINDOW` bytes hash to a multiple of a divisor, at least a quarter of the target size after
the last cut and at most what fits a comment. A cut depends only on the bytes just before
it, so an edit moves only the cuts next to it: the chunks before and after the edit are the
same bytes as before, with the same SHA-256, and are stored once.

The sizes and the divisor come from the whole text, rounded to powers of two so that a small
edit leaves them as they were: the target is what fills about 60% of a comment once gzipped
and base64-encoded at the text's own compression ratio (chunks are half of it to the most
that fits), and the divisor spaces qualifying candidates an eighth of the target apart at
the text's density of candidates. Structured JSON falls back onto the old cuts right after
an edit; long runs of incompressible text (hex, base64) may take a few chunks to. Each
chunk is gzipped and base64-encoded on its own; one whose encoding still exceeds a comment's
room is cut into as few equal pieces as fit.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import math
import re
import zlib

from attrs import frozen

__all__ = ["Chunk", "chunks_of", "decode_chunk"]

WINDOW = 16
FILL = 0.6
"""The share of a comment's room a chunk of the target size fills, encoded."""
_CANDIDATES = b",0"
_CANDIDATE = re.compile(rb"[,0]")


@frozen
class Chunk:
    """One piece of the JSON's UTF-8 bytes: their SHA-256 and their stored form."""

    sha256: str
    data: str
    """base64 of the gzip of the bytes."""


def _power_of_two(value: float) -> int:
    return 1 << max(0, round(math.log2(max(1.0, value))))


def _sizes(raw: bytes, room: int) -> tuple[int, int, int]:
    """(smallest chunk, largest chunk, divisor) for these bytes."""
    share = 4 / 3 * len(gzip.compress(raw, mtime=0)) / len(raw)  # encoded size per byte
    target = _power_of_two(FILL * room / max(share, 1e-3))
    fits = 0.95 * room / max(share, 1e-3)
    largest = min(4 * target, 1 << max(0, math.floor(math.log2(max(1.0, fits)))))
    density = sum(raw.count(c) for c in _CANDIDATES) / len(raw)
    return target // 2, max(largest, target), _power_of_two(target * density / 8)


def _cuts(raw: bytes, smallest: int, largest: int, divisor: int) -> list[int]:
    """End offsets of the content-defined pieces of `raw`."""
    cuts: list[int] = []
    view = memoryview(raw)
    start, end = 0, len(raw)
    while end - start > smallest:
        limit = min(end, start + largest)
        cut = limit
        for found in _CANDIDATE.finditer(raw, start + smallest, limit):
            at = found.start()
            if zlib.crc32(view[at - WINDOW : at]) % divisor == 0:
                cut = at + 1
                break
        cuts.append(cut)
        start = cut
    if start < end:
        cuts.append(end)
    return cuts


def _encoded(piece: bytes, room: int) -> list[Chunk]:
    data = base64.b64encode(gzip.compress(piece, mtime=0)).decode()
    if len(data) <= room or len(piece) < 2:
        return [Chunk(hashlib.sha256(piece).hexdigest(), data)]
    count = max(2, math.ceil(len(data) / room))
    size = math.ceil(len(piece) / count)
    return [c for i in range(0, len(piece), size) for c in _encoded(piece[i : i + size], room)]


def chunks_of(raw: bytes, room: int) -> list[Chunk]:
    """The chunks of `raw` (UTF-8 JSON), in order, each encoded in at most `room` characters."""
    chunks: list[Chunk] = []
    if not raw:
        return chunks
    start = 0
    for cut in _cuts(raw, *_sizes(raw, room)):
        chunks.extend(_encoded(raw[start:cut], room))
        start = cut
    return chunks


def decode_chunk(data: str, sha256: str) -> bytes | None:
    """The bytes a stored chunk holds, or None if they do not decode to bytes of that hash."""
    try:
        raw = gzip.decompress(base64.b64decode(data, validate=True))
    except (ValueError, OSError, EOFError, zlib.error):
        return None
    return raw if hashlib.sha256(raw).hexdigest() == sha256 else None
