"""Refund rules of orders/domain.py: what may still be refunded, what each part gives back,
and the return window against settlement at the boundary instants."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.orders import domain
from quanzi.orders.domain import LineState

COMPLETED_AT = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
TICK = timedelta(microseconds=1)


# --- check_refund ------------------------------------------------------------------------

LINES = {1: LineState(line_id=1, quantity=3, refunded_quantity=1, requested_quantity=1),
         2: LineState(line_id=2, quantity=2, refunded_quantity=0, requested_quantity=0)}


def test_refundable_is_what_was_neither_refunded_nor_asked_for():
    assert LINES[1].refundable == 1
    assert LINES[2].refundable == 2


@pytest.mark.parametrize("wanted", [{}, {1: 1}, {2: 2}, {1: 1, 2: 1}])
def test_a_refund_within_what_is_left_has_no_problems(wanted):
    assert domain.check_refund(LINES, wanted) == []


@pytest.mark.parametrize(("wanted", "problems"), [
    ({9: 1}, ["line 9 is not in this order"]),
    ({1: 0}, ["line 1: quantity must be at least 1"]),
    ({2: -1}, ["line 2: quantity must be at least 1"]),
    ({1: 2}, ["line 1: only 1 can still be refunded"]),
    ({2: 3}, ["line 2: only 2 can still be refunded"]),
    ({9: 1, 1: 0, 2: 3}, ["line 9 is not in this order", "line 1: quantity must be at least 1",
                          "line 2: only 2 can still be refunded"]),
])
def test_every_problem_is_named_with_its_line(wanted, problems):
    assert domain.check_refund(LINES, wanted) == problems


def test_a_line_fully_refunded_or_asked_for_refunds_nothing_more():
    spent = {5: LineState(line_id=5, quantity=2, refunded_quantity=1, requested_quantity=1)}
    assert domain.check_refund(spent, {5: 1}) == ["line 5: only 0 can still be refunded"]


# --- refund_amount -----------------------------------------------------------------------


@pytest.mark.parametrize(("held", "units", "quantity", "back"), [
    (1000, 3, 1, 333), (667, 2, 1, 333), (334, 1, 1, 334),
    (667, 2, 2, 667), (1000, 3, 3, 1000), (0, 4, 2, 0), (999, 1000, 1, 0),
])
def test_refund_amount_rounds_down_and_the_last_units_take_the_rest(held, units, quantity,
                                                                    back):
    assert domain.refund_amount(held, units, quantity) == back


@pytest.mark.parametrize(("units", "quantity"), [(3, 0), (3, 4), (3, -1), (0, 1)])
def test_refund_amount_refuses_a_quantity_not_held(units, quantity):
    with pytest.raises(ValueError, match="between 1 and the units still held"):
        domain.refund_amount(1000, units, quantity)


@st.composite
def _parts(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    """A line's amount, its units, and the units refunded in each successive part."""
    units = draw(st.integers(1, 50))
    amount = draw(st.integers(0, 10_000_000))
    parts: list[int] = []
    left = units
    while left:
        part = draw(st.integers(1, left))
        parts.append(part)
        left -= part
    return amount, units, parts


@given(_parts())
def test_a_line_refunded_in_parts_gives_back_exactly_its_amount(case):
    amount, units, parts = case
    held, held_units, backs = amount, units, []
    for quantity in parts:
        back = domain.refund_amount(held, held_units, quantity)
        assert 0 <= back <= held
        backs.append(back)
        held, held_units = held - back, held_units - quantity
    assert sum(backs) == amount
    assert (held, held_units) == (0, 0)


@given(held=st.integers(0, 10_000_000), units=st.integers(1, 100), data=st.data())
def test_a_part_is_its_proportional_share_rounded_down_unless_it_is_the_last(held, units, data):
    quantity = data.draw(st.integers(1, units))
    back = domain.refund_amount(held, units, quantity)
    assert back == (held if quantity == units else held * quantity // units)


# --- the return window and settlement ----------------------------------------------------


@pytest.mark.parametrize(("now", "open_", "due"), [
    (COMPLETED_AT, True, False),
    (COMPLETED_AT + WEEK - TICK, True, False),
    (COMPLETED_AT + WEEK, False, True),
    (COMPLETED_AT + WEEK + TICK, False, True),
])
def test_the_window_closes_and_settlement_falls_due_at_the_same_instant(now, open_, due):
    assert domain.return_window_open(COMPLETED_AT, WEEK, now) is open_
    assert domain.settle_due(COMPLETED_AT, WEEK, now) is due


def test_an_order_not_yet_completed_may_be_refunded_and_is_never_due():
    far = COMPLETED_AT + 100 * WEEK
    assert domain.return_window_open(None, WEEK, far) is True
    assert domain.settle_due(None, WEEK, far) is False


def test_a_window_of_zero_closes_on_completion():
    assert domain.return_window_open(COMPLETED_AT, timedelta(0), COMPLETED_AT) is False
    assert domain.settle_due(COMPLETED_AT, timedelta(0), COMPLETED_AT) is True


@given(offset=st.timedeltas(min_value=-2 * WEEK, max_value=2 * WEEK),
       window=st.timedeltas(min_value=timedelta(0), max_value=2 * WEEK))
def test_a_completed_order_is_either_refundable_or_due_never_both(offset, window):
    now = COMPLETED_AT + offset
    open_ = domain.return_window_open(COMPLETED_AT, window, now)
    assert open_ != domain.settle_due(COMPLETED_AT, window, now)
    assert open_ == (offset < window)
