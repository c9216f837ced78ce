"""The catalog's pure rules (catalog/domain.py): who manages a supplier's goods, the price
shown as "¥x 起", and the opaque list cursor."""

import base64
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.catalog.domain import (
    MAX_ID,
    Cursor,
    decode_cursor,
    encode_cursor,
    may_manage,
    price_from,
)
from quanzi.core.errors import InvalidInput


@dataclass(frozen=True)
class Someone:
    roles: tuple[str, ...]
    supplier_id: int | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


@pytest.mark.parametrize(("actor", "allowed"), [
    (None, False),
    (Someone(("consumer",)), False),
    (Someone(("consumer", "operator")), True),
    (Someone(("consumer", "supplier"), supplier_id=7), True),
    (Someone(("consumer", "supplier"), supplier_id=8), False),
    (Someone(("consumer", "supplier")), False),
    (Someone(("consumer",), supplier_id=7), False),  # staff id without the supplier role
])
def test_only_operators_and_the_suppliers_own_staff_manage_its_goods(actor, allowed):
    assert may_manage(actor, 7) is allowed


def test_the_price_shown_is_the_cheapest_sku():
    assert price_from([1290, 990, 2590]) == 990
    assert price_from([]) is None


@given(last_id=st.integers(1, MAX_ID),
       score=st.none() | st.floats(allow_nan=False, allow_infinity=False))
def test_a_cursor_reads_back_as_itself(last_id, score):
    text = encode_cursor(Cursor(last_id, score))
    assert "=" not in text and text.isascii()
    assert decode_cursor(text, searching=score is not None) == Cursor(last_id, score)


def test_a_cursor_is_compact_json_in_url_safe_base64():
    assert encode_cursor(Cursor(5)) == "eyJpIjo1fQ"
    assert decode_cursor("eyJpIjo1fQ", searching=False) == Cursor(5)


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("text", [
    "", "nonsense!", "@@@@", _raw("[]"), _raw('"x"'), _raw("{}"), _raw('{"i":"a"}'),
    _raw('{"i":0}'), _raw(f'{{"i":{MAX_ID + 1}}}'), _raw('{"i":true}'), _raw('{"i":1.0}'),
    _raw('{"i":1,"x":2}'), _raw("\xff"),
])
def test_anything_the_api_did_not_give_out_is_a_bad_cursor(text):
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(text, searching=False)
    assert (refused.value.status, refused.value.code) == (422, "bad_cursor")
    assert refused.value.message == "the cursor is not one this API gave out"


@pytest.mark.parametrize(("text", "searching"), [
    (_raw('{"i":1}'), True), (_raw('{"i":1,"s":2.5}'), False)])
def test_a_cursor_of_another_query_is_refused(text, searching):
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(text, searching=searching)
    assert (refused.value.code, refused.value.message) == (
        "bad_cursor", "the cursor belongs to another query")


@pytest.mark.parametrize("score", ['"high"', "true", "[1]", "1e999"])
def test_a_search_cursor_needs_a_finite_number_as_its_score(score):
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(_raw(f'{{"i":1,"s":{score}}}'), searching=True)
    assert refused.value.code == "bad_cursor"
