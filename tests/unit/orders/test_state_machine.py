"""The order state machine (orders/domain.py): every action from every status, and what is
due when an order is paid.

The expected moves are written out here rather than read from ``TRANSITIONS``, so a
change to the table shows up as a failing case.
"""

import pytest

from quanzi.core.errors import Conflict, InvalidTransition
from quanzi.orders import domain
from quanzi.orders.domain import (
    CANCELLED,
    COMPLETED,
    DELIVERED,
    DEPOSIT_PAID,
    PAID,
    PENDING,
    REFUNDED,
    SHIPPED,
    STATUSES,
)

LEGAL = {
    ("pay", PENDING): PAID,
    ("pay", DEPOSIT_PAID): PAID,
    ("pay_deposit", PENDING): DEPOSIT_PAID,
    ("cancel", PENDING): CANCELLED,
    ("lapse", DEPOSIT_PAID): CANCELLED,
    ("revive", CANCELLED): PAID,
    ("ship", PAID): SHIPPED,
    ("deliver", SHIPPED): DELIVERED,
    ("confirm", SHIPPED): COMPLETED,
    ("confirm", DELIVERED): COMPLETED,
    ("pick_up", PAID): COMPLETED,
    ("refund_all", PAID): REFUNDED,
    ("refund_all", SHIPPED): REFUNDED,
    ("refund_all", DELIVERED): REFUNDED,
    ("refund_all", COMPLETED): REFUNDED,
}
ACTIONS = ("pay", "pay_deposit", "cancel", "lapse", "revive", "ship", "deliver", "confirm",
           "pick_up", "refund_all")
EVERY_MOVE = [(action, status) for action in ACTIONS for status in STATUSES]
ILLEGAL = [move for move in EVERY_MOVE if move not in LEGAL]


def test_the_statuses_and_actions_are_the_ones_listed_here():
    assert STATUSES == (PENDING, DEPOSIT_PAID, PAID, SHIPPED, DELIVERED, COMPLETED, CANCELLED,
                        REFUNDED)
    assert tuple(domain.TRANSITIONS) == ACTIONS
    assert len(EVERY_MOVE) == 80 and len(LEGAL) == 15


@pytest.mark.parametrize(("action", "status"), sorted(LEGAL))
def test_a_legal_move_leads_to_its_target(action, status):
    assert domain.next_status(status, action) == LEGAL[action, status]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_an_illegal_move_is_a_409_naming_the_state(action, status):
    with pytest.raises(InvalidTransition) as refused:
        domain.next_status(status, action)
    error = refused.value
    assert isinstance(error, Conflict)
    assert (error.status, error.code, error.current) == (409, "invalid_transition", status)
    said = f"cannot {action} an order that is {status}"
    assert error.message == said or error.message.startswith(said + ": ")
    if action == "confirm" and status in (domain.PENDING, domain.DEPOSIT_PAID, domain.PAID):
        assert error.message.endswith(": it has not been shipped yet")


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(KeyError):
        domain.next_status(PENDING, "teleport")


@pytest.mark.parametrize("action", ACTIONS)
def test_allowed_from_lists_the_statuses_the_action_leaves(action):
    expected = tuple(status for (name, status) in LEGAL if name == action)
    assert domain.allowed_from(action) == expected


def test_finished_orders_go_nowhere_but_a_refunded_one_nowhere_at_all():
    from_refunded = [action for action in ACTIONS if (action, REFUNDED) in LEGAL]
    from_completed = [action for action in ACTIONS if (action, COMPLETED) in LEGAL]
    assert from_refunded == []
    assert from_completed == ["refund_all"]


def test_refundable_statuses_are_the_ones_refund_all_leaves():
    assert domain.allowed_from("refund_all") == domain.REFUNDABLE


# --- what is due -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "total", "deposit", "due"), [
    (PENDING, 9900, None, ("order", 9900)),
    (PENDING, 0, None, ("order", 0)),
    (PENDING, 9900, 1000, ("deposit", 1000)),
    (DEPOSIT_PAID, 9900, 1000, ("balance", 8900)),
    (DEPOSIT_PAID, 1000, 1000, ("balance", 0)),
])
def test_amount_due_is_the_order_or_a_presales_deposit_then_its_balance(status, total, deposit,
                                                                         due):
    assert domain.amount_due(status, total, deposit) == due


NOTHING_DUE = [(status, deposit) for status in STATUSES for deposit in (None, 1000)
               if status != PENDING and (status, deposit) != (DEPOSIT_PAID, 1000)]


@pytest.mark.parametrize(("status", "deposit"), NOTHING_DUE)
def test_nothing_is_due_in_any_other_state(status, deposit):
    with pytest.raises(InvalidTransition) as refused:
        domain.amount_due(status, 9900, deposit)
    assert refused.value.current == status
    assert refused.value.message == f"cannot pay an order that is {status}"
