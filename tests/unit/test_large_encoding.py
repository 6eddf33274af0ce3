"""Large objects (ghstore.domain.large): what does not fit an issue body is split into parts
that assemble back identical, from trusted authors only, checked by SHA-256; what fits stays
plain; the processor's size check agrees with the encoder."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from attrs import frozen
from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import big_object, objects, strict

from ghstore.domain.format import BODY_LIMIT, dump_body
from ghstore.domain.large import PART_CHARS, assemble, encode_object, is_stub, size_check
from ghstore.exceptions import InvalidUpdate, ObjectTooLarge

FEW = settings(max_examples=8, deadline=None)
seeds = st.integers(0, 2**32 - 1)


@frozen
class Comment:
    body: str
    author: str


def trusted(comment: Comment) -> bool:
    return comment.author in {"acme", "bob"}


@FEW
@given(seeds, st.integers(70_000, 300_000), st.data())
def test_a_large_object_assembles_back_identical_from_its_parts_in_any_order(
    seed: int, chars: int, data: st.DataObject
) -> None:
    value = big_object(seed, chars)
    encoded = encode_object(value, "big")
    assert encoded.stub is not None and is_stub(json.loads(encoded.body))
    assert encoded.parts and all(len(p) <= PART_CHARS + 200 for p in encoded.parts)
    noise = [Comment(json.dumps({"_data": {"x": 1}, "_meta": {}}), "bob")]
    comments = [Comment(p, data.draw(st.sampled_from(["acme", "bob"]))) for p in encoded.parts]
    comments = data.draw(st.permutations(comments + noise))
    assert strict(assemble(encoded.stub, "big", comments, trusted)) == strict(value)


@FEW
@given(seeds)
def test_parts_by_an_untrusted_author_do_not_count(seed: int) -> None:
    value = big_object(seed, 150_000)
    encoded = encode_object(value, "big")
    assert encoded.stub is not None
    forged = encode_object(big_object(seed + 1, 150_000), "big").parts
    version = encoded.stub["_ghstore_large"]["version"]
    # eve forges parts of the same version and index, posted before the real ones
    fakes = [p.replace(json.loads(p)["_ghstore_part"]["version"], version) for p in forged]
    comments = [Comment(f, "eve") for f in fakes] + [Comment(p, "acme") for p in encoded.parts]
    assert strict(assemble(encoded.stub, "big", comments, trusted)) == strict(value)
    with pytest.raises(InvalidUpdate, match="only 0 were found"):
        assemble(encoded.stub, "big", [Comment(p, "eve") for p in encoded.parts], trusted)


@FEW
@given(seeds)
def test_a_tampered_part_fails_the_hash_check(seed: int) -> None:
    encoded = encode_object(big_object(seed, 150_000), "big")
    assert encoded.stub is not None
    parts = list(encoded.parts)
    part = json.loads(parts[0])
    chunk = part["_ghstore_part"]["data"]
    i = random.Random(seed).randrange(100, len(chunk) - 100)  # a full 6-bit character
    part["_ghstore_part"]["data"] = chunk[:i] + ("A" if chunk[i] != "A" else "B") + chunk[i + 1 :]
    parts[0] = json.dumps(part)
    with pytest.raises(InvalidUpdate, match="corrupt"):
        assemble(encoded.stub, "big", [Comment(p, "acme") for p in parts], trusted)


def test_a_missing_part_is_refused_naming_how_many_were_found() -> None:
    encoded = encode_object(big_object(3, 200_000), "big")
    assert encoded.stub is not None and len(encoded.parts) >= 2
    with pytest.raises(InvalidUpdate, match="only 1 were found"):
        assemble(encoded.stub, "big", [Comment(encoded.parts[0], "acme")], trusted)


@settings(max_examples=100, deadline=None)
@given(objects)
def test_an_object_that_fits_stays_plain(value: dict[str, Any]) -> None:
    encoded = encode_object(value, "small")
    assert encoded.parts == [] and encoded.stub is None
    assert encoded.body == dump_body(value)
    assert strict(json.loads(encoded.body)) == strict(value)


def test_an_object_exactly_at_the_body_limit_stays_plain() -> None:
    value = {"k": ""}
    value["k"] = "x" * (BODY_LIMIT - len(dump_body(value)))
    assert len(dump_body(value)) == BODY_LIMIT
    assert encode_object(value, "edge").stub is None
    value["k"] += "x"
    assert encode_object(value, "edge").stub is not None


@FEW
@given(seeds, st.integers(1_000, 250_000), st.integers(1, 3))
def test_the_size_check_agrees_with_the_encoder_on_what_can_be_stored(
    seed: int, chars: int, max_parts: int
) -> None:
    value = big_object(seed, chars)
    verdict = size_check("obj", max_parts)(value)
    try:
        encoded = encode_object(value, "obj", max_parts)
    except ObjectTooLarge as exc:
        assert verdict == exc.message
    else:
        assert verdict is None
        assert len(encoded.parts) <= max_parts
