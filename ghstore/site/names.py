"""Object ids as file names: safe in every file system and in a URL, one name per id.

An id may hold anything a GitHub label holds (`/`, `..`, spaces, capitals, `<`, emoji). The
name keeps lowercase ASCII letters, digits and `-` as they are and writes every other byte of
the id's UTF-8 as `_` and two lowercase hex digits, so:

- it is injective (the name decodes back to the id: `_` only ever starts an escape), also on
  case-insensitive file systems (no capital letter survives: `A` is `_41`, `a` is `a`);
- `a/b` is `a_2fb` and `a_b` is `a_5fb`; `..` is `_2e_2e`; nothing needs URL quoting;
- a name that would be longer than `MAX_PLAIN` characters keeps its first `KEPT` characters
  and ends with `~` and 32 hex digits of the id's SHA-256 (`~` never appears otherwise, so a
  shortened name never equals a plain one; two long ids share a name only if their SHA-256
  share 128 bits);
- Windows' reserved device names (`con`, `nul`, `com1`, ...) have their first letter escaped.
"""

from __future__ import annotations

import hashlib
import string

__all__ = ["KEPT", "MAX_PLAIN", "page_name"]

MAX_PLAIN = 150
"""The longest name (before `.html`) kept whole; file systems allow 255 bytes."""
KEPT = 100
_SAFE = frozenset(string.ascii_lowercase + string.digits + "-")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)]
)


def _escaped(object_id: str) -> str:
    return "".join(
        chr(byte) if chr(byte) in _SAFE else f"_{byte:02x}"
        for byte in object_id.encode("utf-8", "surrogatepass")
    )


def page_name(object_id: str) -> str:
    """The file name (`NAME.html`) of an object's page."""
    stem = _escaped(object_id)
    if stem in _RESERVED:
        stem = f"_{ord(stem[0]):02x}{stem[1:]}"
    if len(stem) > MAX_PLAIN:
        digest = hashlib.sha256(object_id.encode("utf-8", "surrogatepass")).hexdigest()
        stem = f"{stem[:KEPT]}~{digest[:32]}"
    return f"{stem}.html"
