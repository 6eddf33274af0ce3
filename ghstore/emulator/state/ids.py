"""Opaque global node IDs shaped like GitHub's (`I_kwDO...`, `IC_kwDO...`, `LA_kwDO...`)."""

from __future__ import annotations

import base64
import struct

__all__ = ["decode_id", "encode_id"]

# GitHub prefixes: type abbreviation, then a marker for repository-scoped or top-level objects.
_PREFIXES = {
    "Issue": "I_kwDO",
    "IssueComment": "IC_kwDO",
    "Label": "LA_kwDO",
    "Reaction": "REA_lATO",
    "Repository": "R_kgDO",
    "User": "U_kgDO",
}
_TYPES = {prefix: typename for typename, prefix in _PREFIXES.items()}
_PACK = struct.Struct(">HQ")
_VERSION = 0x4748  # "GH": distinguishes our payloads from arbitrary base64


def encode_id(typename: str, db_id: int) -> str:
    """Return the global ID of the object of `typename` with database id `db_id`."""
    payload = base64.urlsafe_b64encode(_PACK.pack(_VERSION, db_id)).rstrip(b"=").decode()
    return _PREFIXES[typename] + payload


def decode_id(global_id: str) -> tuple[str, int] | None:
    """Return (typename, database id) for a global ID, or None when it is not one of ours."""
    prefix, sep, rest = global_id.partition("_")
    if not sep or len(rest) < 4:
        return None
    typename = _TYPES.get(f"{prefix}_{rest[:4]}")
    if typename is None:
        return None
    payload = rest[4:]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        version, db_id = _PACK.unpack(raw)
    except (ValueError, struct.error):
        return None
    if version != _VERSION:
        return None
    return typename, db_id
