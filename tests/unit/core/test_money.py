"""Amounts typed in yuan become integer fen, and read back as the same text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.money import format_fen, parse_yuan


@pytest.mark.parametrize(("typed", "fen"), [
    ("12.34", 1234), ("12.3", 1230), ("12", 1200), (" ¥0.05 ", 5), ("¥1", 100)])
def test_plain_amounts_in_yuan_are_read_in_fen(typed, fen):
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["", "-1", "1.234", "1e3", "12,34", "一百", "1.", ".5"])
def test_anything_else_is_not_an_amount(typed):
    assert parse_yuan(typed) is None


@given(st.integers(min_value=0, max_value=999_999_999_99))
def test_what_is_shown_reads_back_as_the_same_fen(amount_fen):
    assert parse_yuan(format_fen(amount_fen).replace(",", "")) == amount_fen
