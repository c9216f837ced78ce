"""The settlement split (orders/domain.py ``split``): escrow's gross becomes the platform's
fee, the commissions and the supplier's share, in whole fen, never below zero."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.core.money import share_of
from quanzi.orders.domain import split


@pytest.mark.parametrize(("gross", "fee_bp", "commissions", "fee", "supplier"), [
    (10000, 500, [], 500, 9500),
    (10000, 500, [1000], 500, 8500),
    (10000, 500, [1000, 500], 500, 8000),
    (999, 500, [], 49, 950),  # 49.95 rounds down; the supplier keeps the fen
    (999, 500, [99, 49], 49, 802),
    (1000, 500, [950], 50, 0),  # exactly enough for both
    (1000, 500, [980], 20, 0),  # the fee gives way to the commissions
    (1000, 500, [1000], 0, 0),
    (0, 500, [], 0, 0),
    (10000, 0, [2000], 0, 8000),
    (10000, 10000, [], 10000, 0),
    (10000, 10000, [3000], 7000, 0),
])
def test_split_exact_values(gross, fee_bp, commissions, fee, supplier):
    assert split(gross, fee_bp, commissions) == (fee, supplier)


@pytest.mark.parametrize(("gross", "commissions"), [(1000, [1001]), (1000, [600, 401]),
                                                   (0, [1])])
def test_commissions_above_the_gross_are_refused(gross, commissions):
    with pytest.raises(ValueError, match="commissions exceed"):
        split(gross, 500, commissions)


def test_a_negative_gross_or_rate_is_refused():
    with pytest.raises(ValueError):
        split(-1, 500, [])
    with pytest.raises(ValueError):
        split(1000, -1, [])


@st.composite
def _settlement(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    gross = draw(st.integers(0, 100_000_000))
    fee_bp = draw(st.integers(0, 10_000))
    commissions = draw(st.lists(st.integers(0, gross), max_size=3))
    if sum(commissions) > gross:  # the commission rules never pay out more than the line
        commissions = [c * gross // sum(commissions) for c in commissions]
    return gross, fee_bp, commissions


@given(_settlement())
def test_the_parts_sum_to_the_gross_and_none_is_negative(case):
    gross, fee_bp, commissions = case
    fee, supplier = split(gross, fee_bp, commissions)
    assert fee + supplier + sum(commissions) == gross
    assert fee >= 0 and supplier >= 0


@given(_settlement())
def test_commissions_come_first_and_the_fee_gives_way(case):
    gross, fee_bp, commissions = case
    fee, supplier = split(gross, fee_bp, commissions)
    full_fee = share_of(gross, fee_bp)
    assert fee <= full_fee  # rounded down, never more than the rate
    if full_fee + sum(commissions) <= gross:
        assert fee == full_fee
    else:  # the supplier is left nothing and the fee takes only what is left
        assert (fee, supplier) == (gross - sum(commissions), 0)


@given(gross=st.integers(0, 100_000_000), fee_bp=st.integers(0, 10_000))
def test_without_commissions_the_fee_is_the_rate_rounded_down(gross, fee_bp):
    fee, supplier = split(gross, fee_bp, [])
    assert fee == gross * fee_bp // 10_000
    assert supplier == gross - fee
