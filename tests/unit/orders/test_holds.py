"""Holds on orders (orders/domain.py): a 拼团 order is placed on hold and may not ship until
its group forms, a community batch order is never shipped (it is collected at its pickup
point); the hold changes nothing else an order may do."""

import pytest

from quanzi.core.errors import Conflict, InvalidTransition
from quanzi.orders import domain
from quanzi.orders.domain import CANCELLED, DELIVERED, PAID, PENDING, REFUNDED, SHIPPED

HOLD = "group_not_formed"


def test_group_buy_and_batch_orders_are_placed_on_hold_and_no_other_kind_is():
    assert domain.HOLDS == {"group_buy": HOLD, "batch": "pickup_order"}
    assert domain.HOLDS.get("normal") is None and domain.HOLDS.get("flash_sale") is None


def test_a_held_paid_order_may_not_ship_and_the_409_names_the_hold():
    with pytest.raises(Conflict) as refused:
        domain.next_status(PAID, "ship", hold=HOLD)
    assert refused.value.code == HOLD and refused.value.status == 409
    assert str(refused.value) == "cannot ship this order until its group has formed"
    assert not isinstance(refused.value, InvalidTransition)


def test_once_released_it_ships():
    assert domain.next_status(PAID, "ship", hold=None) == SHIPPED


@pytest.mark.parametrize(("action", "status", "target"), [
    ("pay", PENDING, PAID), ("cancel", PENDING, CANCELLED), ("refund_all", PAID, REFUNDED),
    ("deliver", SHIPPED, DELIVERED)])
def test_a_hold_stops_shipping_only(action, status, target):
    assert domain.next_status(status, action, hold=HOLD) == target


@pytest.mark.parametrize("status", [PENDING, SHIPPED, CANCELLED])
def test_shipping_from_a_wrong_state_is_still_the_plain_illegal_move(status):
    with pytest.raises(InvalidTransition) as refused:
        domain.next_status(status, "ship", hold=HOLD)
    assert refused.value.code == "invalid_transition"
