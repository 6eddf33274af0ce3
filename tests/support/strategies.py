"""Hypothesis strategies for JSON: recursive dicts, lists and scalars with string keys.

Keys come from a small alphabet so that updates often touch the same keys (and the same
nested dicts), which is where merge rules can go wrong."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import strategies as st

keys = st.text(alphabet="abcde", min_size=1, max_size=2)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=8,
)
objects = st.dictionaries(keys, values, max_size=4)
"""A JSON object: what an object's data or an update's changes are."""


def strict(value: Any) -> str:
    """JSON text that tells 1 from 1.0 from True (== on Python values does not)."""
    return json.dumps(value, sort_keys=True)


def records_object(seed: int, chars: int) -> dict[str, Any]:
    """A JSON object of about `chars` characters of records, as an application keeps them
    (structured, compressible about 4x), built cheaply from a seed."""
    rnd = random.Random(seed)
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "data", "store", "issue", "comment"]
    return {
        f"user{n}": {
            "name": f"User {n}",
            "age": rnd.randint(1, 90),
            "email": f"u{n}@example.com",
            "tags": ["a", "b", str(rnd.random())],
            "bio": " ".join(rnd.choice(words) for _ in range(20)),
        }
        for n in range(chars // 215)
    }


def big_object(seed: int, chars: int) -> dict[str, Any]:
    """A JSON object of about `chars` characters, mostly incompressible, built cheaply from a
    seed (Hypothesis draws and shrinks the seed, not the megabytes)."""
    rnd = random.Random(seed)
    data: dict[str, Any] = {"nested": {"list": [rnd.random(), None, True, "é✓"]}}
    while chars > 0:
        size = min(chars, rnd.randint(1_000, 20_000))
        data[f"k{rnd.getrandbits(32):08x}"] = rnd.randbytes(size // 2).hex()
        chars -= size
    return data
