"""Time windows of the campaigns (campaigns/domain.py) at their boundary instants: a
window opens at its start and is over at its end; flash sales, presales, the China day."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.campaigns import domain
from quanzi.campaigns.domain import PresaleWindows
from quanzi.campaigns.flash.sales import SaleTerms
from quanzi.core.errors import InvalidInput

T0 = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
HOUR, TICK = timedelta(hours=1), timedelta(microseconds=1)
END = T0 + 2 * HOUR


@pytest.mark.parametrize(("now", "refusal"), [
    (T0 - TICK, "not_started"), (T0, None), (END - TICK, None), (END, "ended"),
    (END + TICK, "ended")])
def test_a_window_opens_at_its_start_and_is_over_at_its_end(now, refusal):
    assert domain.window_refusal(T0, END, now) == refusal


def test_a_window_without_an_end_never_ends():
    assert domain.window_refusal(T0, None, T0 + 10_000 * HOUR) is None
    assert domain.window_refusal(T0, None, T0 - TICK) == "not_started"


YEARS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                     timezones=st.just(UTC))
SPAN = timedelta(days=1000)


@given(start=YEARS, length=st.timedeltas(min_value=TICK, max_value=SPAN),
       offset=st.timedeltas(min_value=-SPAN, max_value=SPAN))
def test_a_window_refuses_exactly_outside_start_to_end(start, length, offset):
    end, now = start + length, start + offset
    expected = "not_started" if now < start else "ended" if now >= end else None
    assert domain.window_refusal(start, end, now) == expected


def test_a_configured_window_must_end_after_it_starts():
    domain.check_window(T0, T0 + TICK)
    domain.check_window(T0, None)
    for end in (T0, T0 - HOUR):
        with pytest.raises(InvalidInput, match="ends_at must be after starts_at"):
            domain.check_window(T0, end)


# --- flash sales -------------------------------------------------------------------------


@pytest.mark.parametrize(("now", "left", "ended_at", "status"), [
    (T0 - TICK, 0, None, "not_started"),
    (T0, 1, None, "active"),
    (T0, 0, None, "sold_out"),
    (T0, -1, None, "sold_out"),
    (END - TICK, 5, None, "active"),
    (END, 5, None, "ended"),
    (T0 + HOUR, 5, T0 + HOUR, "ended"),  # ended early, at this very instant
    (T0 + HOUR, 5, T0 + HOUR + TICK, "active"),
    (T0 + HOUR, 0, T0 + HOUR - TICK, "ended"),
])
def test_flash_status_at_the_boundaries(now, left, ended_at, status):
    assert domain.flash_status(T0, END, left, now, ended_at) == status


@pytest.mark.parametrize(("now", "ended_at", "refusal"), [
    (T0 - TICK, None, "not_started"), (T0, None, None), (END - TICK, None, None),
    (END, None, "ended"), (T0 + HOUR, T0, "ended"), (T0 - TICK, T0, "not_started")])
def test_a_flash_buy_is_refused_outside_the_sale_or_once_it_was_ended(now, ended_at, refusal):
    terms = SaleTerms(sku_id=1, price_fen=990, per_user_limit=1, starts_at=T0, ends_at=END,
                      ended_at=ended_at)
    assert terms.refusal(now) == refusal


# --- presales ----------------------------------------------------------------------------

WINDOWS = PresaleWindows(T0, T0 + 24 * HOUR, T0 + 48 * HOUR, T0 + 72 * HOUR)


@pytest.mark.parametrize(("now", "phase", "deposit", "balance"), [
    (T0 - TICK, "not_started", "not_started", "not_started"),
    (T0 + 24 * HOUR - TICK, "deposit", None, "not_started"),
    (T0 + 24 * HOUR, "waiting_balance", "ended", "not_started"),
    (T0 + 48 * HOUR - TICK, "waiting_balance", "ended", "not_started"),
    (T0 + 72 * HOUR - TICK, "balance", "ended", None),
    (T0 + 72 * HOUR + TICK, "ended", "ended", "ended"),
])
def test_presale_phases_turn_at_the_instants_the_windows_open_and_close(now, phase, deposit,
                                                                        balance):
    assert domain.presale_phase(WINDOWS, now) == phase
    assert domain.deposit_refusal(WINDOWS, now) == deposit
    assert domain.balance_refusal(WINDOWS, now) == balance


def test_the_balance_window_may_open_as_the_deposit_window_closes():
    back_to_back = PresaleWindows(T0, T0 + HOUR, T0 + HOUR, T0 + 2 * HOUR)
    domain.check_presale(9900, 1000, 3000, back_to_back, "refund_deposit")
    assert domain.presale_phase(back_to_back, T0 + HOUR) == "balance"


# --- the China day -----------------------------------------------------------------------


@given(YEARS)
def test_the_china_day_is_the_utc_day_eight_hours_later(now):
    assert domain.china_day(now) == (now + timedelta(hours=8)).date()
