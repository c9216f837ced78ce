"""The pure parts of idempotency (core/idempotency.py): the body's fingerprint and the
checks on an Idempotency-Key header."""

import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.errors import InvalidInput
from quanzi.core.idempotency import MAX_KEY_LENGTH, check_key, fingerprint

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=4),
    max_leaves=12)


def test_the_fingerprint_is_sha256_of_compact_sorted_json():
    expected = hashlib.sha256(b'{"a":[1,2],"b":"\\u7c73"}').hexdigest()
    assert fingerprint({"b": "米", "a": [1, 2]}) == expected


@given(st.dictionaries(st.text(max_size=5), JSON, max_size=6))
def test_the_order_of_keys_does_not_change_the_fingerprint(body):
    reordered = dict(reversed(list(body.items())))
    assert fingerprint(reordered) == fingerprint(body)
    assert len(fingerprint(body)) == 64 and fingerprint(body) == fingerprint(body).lower()


@pytest.mark.parametrize(("one", "other"), [
    ({"quantity": 1}, {"quantity": 2}),
    ({"quantity": 1}, {"quantity": "1"}),
    ({"items": [1, 2]}, {"items": [2, 1]}),
    ({"share_code": None}, {}),
    ({"a": {"b": 1}}, {"a": {"b": 1, "c": None}}),
])
def test_a_different_body_has_a_different_fingerprint(one, other):
    assert fingerprint(one) != fingerprint(other)


def test_values_json_cannot_hold_are_fingerprinted_by_their_text():
    at = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
    assert fingerprint({"at": at}) == fingerprint({"at": str(at)})


@pytest.mark.parametrize("key", [None, "", "   ", "\t\n"])
def test_a_missing_key_is_refused(key):
    with pytest.raises(InvalidInput) as refused:
        check_key(key)
    assert (refused.value.status, refused.value.code) == (422, "idempotency_key_missing")


def test_a_key_longer_than_the_limit_is_refused():
    assert check_key("k" * MAX_KEY_LENGTH) == "k" * MAX_KEY_LENGTH
    with pytest.raises(InvalidInput) as refused:
        check_key("k" * (MAX_KEY_LENGTH + 1))
    assert refused.value.code == "idempotency_key_invalid"
    assert str(MAX_KEY_LENGTH) in refused.value.message


def test_a_key_is_kept_without_surrounding_space():
    assert check_key("  order-1 ") == "order-1"
