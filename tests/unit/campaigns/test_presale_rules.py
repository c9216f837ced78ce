"""Presale (预售) deposit rules of campaigns/domain.py beyond ``test_domain.py``: what a
deposit may be, what it is worth against the balance, and the windows' order."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.campaigns import domain
from quanzi.campaigns.domain import PresaleWindows
from quanzi.core.errors import InvalidInput

T0 = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
WINDOWS = PresaleWindows(T0, T0 + 24 * HOUR, T0 + 48 * HOUR, T0 + 72 * HOUR)


@pytest.mark.parametrize(("price", "deposit", "worth"), [
    (9900, 1, 1), (9900, 1000, 3000), (9900, 9900, 9900), (9900, 1000, 9900)])
@pytest.mark.parametrize("rule", domain.UNPAID_BALANCE_RULES)
def test_a_deposit_up_to_its_worth_up_to_the_price_is_accepted(price, deposit, worth, rule):
    assert domain.check_presale(price, deposit, worth, WINDOWS, rule) is None


@pytest.mark.parametrize(("deposit", "worth", "windows", "rule", "reason"), [
    (0, 3000, WINDOWS, "forfeit_deposit", "need 0 < deposit_fen"),
    (3001, 3000, WINDOWS, "forfeit_deposit", "need 0 < deposit_fen"),
    (1000, 9901, WINDOWS, "forfeit_deposit", "need 0 < deposit_fen"),
    (1000, 3000, PresaleWindows(T0, T0 - HOUR, T0 + HOUR, T0 + 2 * HOUR), "forfeit_deposit",
     "deposit_ends_at must be after deposit_starts_at"),
    (1000, 3000, PresaleWindows(T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR),
     "forfeit_deposit", "the balance window opens after the deposit window"),
    (1000, 3000, WINDOWS, "keep_it", "unpaid_balance_rule must be one of forfeit_deposit, "
     "refund_deposit"),
])
def test_a_bad_presale_is_refused_with_the_reason(deposit, worth, windows, rule, reason):
    with pytest.raises(InvalidInput, match=reason):
        domain.check_presale(9900, deposit, worth, windows, rule)


@given(price=st.integers(1, 10**8), data=st.data())
def test_deposit_and_balance_pay_the_price_less_what_the_deposit_gains(price, data):
    worth = data.draw(st.integers(1, price))
    deposit = data.draw(st.integers(1, worth))
    balance = domain.balance_due(price, worth)
    assert balance == price - worth >= 0
    assert deposit + balance <= price  # 定金膨胀: the deposit counts for at least itself


@given(price=st.integers(0, 10**8), worth=st.integers(0, 2 * 10**8))
def test_the_balance_is_never_negative(price, worth):
    assert domain.balance_due(price, worth) == max(0, price - worth)
