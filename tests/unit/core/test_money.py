"""Money in integer fen (core/money.py): shares and proration round down, amounts typed in
yuan become fen, and what is shown reads back as the same fen."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.money import BP_SCALE, format_fen, parse_yuan, plain_yuan, prorate, share_of


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


@given(st.integers(min_value=-999_999_999_99, max_value=999_999_999_99))
def test_the_spreadsheet_amount_is_the_shown_one_without_symbol_or_commas(amount_fen):
    assert plain_yuan(amount_fen) == format_fen(amount_fen).replace("¥", "").replace(",", "")


# --- rounding: share_of and prorate ------------------------------------------------------


@pytest.mark.parametrize(("amount", "rate_bp", "share"), [
    (999, 500, 49), (1000, 500, 50), (1, 9999, 0), (1, 10000, 1), (10000, 1, 1),
    (0, 500, 0), (12345, 0, 0), (12345, 10000, 12345), (100, 20000, 200),
])
def test_share_of_rounds_down(amount, rate_bp, share):
    assert share_of(amount, rate_bp) == share


@pytest.mark.parametrize(("amount", "rate_bp"), [(-1, 500), (100, -1)])
def test_share_of_refuses_negative_amounts_and_rates(amount, rate_bp):
    with pytest.raises(ValueError, match="non-negative"):
        share_of(amount, rate_bp)


@given(amount=st.integers(0, 10**12), rate_bp=st.integers(0, BP_SCALE))
def test_a_share_is_at_most_the_amount_and_less_than_a_fen_below_the_exact_value(amount,
                                                                                rate_bp):
    share = share_of(amount, rate_bp)
    assert 0 <= share <= amount
    assert share * BP_SCALE <= amount * rate_bp < (share + 1) * BP_SCALE


@given(amount=st.integers(0, 10**12), rates=st.lists(st.integers(0, BP_SCALE), max_size=5))
def test_shares_rounded_down_never_add_up_to_more_than_their_rates_allow(amount, rates):
    assert sum(share_of(amount, rate) for rate in rates) <= share_of(amount, sum(rates))


@pytest.mark.parametrize(("amount", "part", "whole", "value"), [
    (1000, 1, 3, 333), (1000, 2, 3, 666), (1000, 3, 3, 1000), (1000, 0, 3, 0), (7, 1, 2, 3)])
def test_prorate_rounds_down(amount, part, whole, value):
    assert prorate(amount, part, whole) == value


@pytest.mark.parametrize(("part", "whole"), [(1, 0), (-1, 3), (4, 3), (0, -1)])
def test_prorate_needs_a_part_of_a_positive_whole(part, whole):
    with pytest.raises(ValueError):
        prorate(1000, part, whole)


@given(amount=st.integers(0, 10**12), whole=st.integers(1, 1000), data=st.data())
def test_prorated_parts_are_monotonic_and_never_exceed_the_amount(amount, whole, data):
    part = data.draw(st.integers(0, whole))
    assert 0 <= prorate(amount, part, whole) <= prorate(amount, whole, whole) == amount
    if part < whole:
        assert prorate(amount, part, whole) <= prorate(amount, part + 1, whole)


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(("fen", "shown"), [
    (0, "¥0.00"), (5, "¥0.05"), (1234, "¥12.34"), (100, "¥1.00"), (123456789, "¥1,234,567.89"),
    (-5, "-¥0.05"), (-123456, "-¥1,234.56"),
])
def test_format_fen(fen, shown):
    assert format_fen(fen) == shown


@given(st.integers(min_value=1, max_value=10**12))
def test_a_negative_amount_is_shown_as_its_opposite_with_a_sign(amount_fen):
    assert format_fen(-amount_fen) == "-" + format_fen(amount_fen)
    assert format_fen(amount_fen).startswith("¥")
