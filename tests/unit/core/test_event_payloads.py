"""Typed event payloads (core/events.py, orders/events.py, campaigns/events.py): each kind
names itself, its JSON is the payload the outbox held before the events were typed, and
such an old payload reads back as the kind's model."""

import pytest
from pydantic import ValidationError

from quanzi.campaigns.events import GroupFailed, GroupSucceeded, TieredClosed
from quanzi.core import events
from quanzi.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderDepositPaid,
    OrderPaid,
    OrderRefunded,
    OrderSettled,
    OrderShipped,
    PaidLine,
)

# ``order.paid`` as ``lifecycle._paid`` wrote it before the payloads were typed.
PAID_BEFORE = {
    "order_id": 7, "buyer_id": 4, "supplier_id": 1, "kind": "group_buy",
    "campaign_ref": "group:5", "total_fen": 3980,
    "attribution": {"promoter_id": 9, "share_code": "abcdEFGH12", "policy": "last_click"},
    "lines": [{"line_id": 11, "product_id": 2, "category": "生鲜", "quantity": 2,
               "amount_fen": 3980}],
    "payment_id": 3}


def test_every_kind_names_its_event():
    kinds = [OrderPaid, OrderDepositPaid, OrderCancelled, OrderShipped, OrderCompleted,
             OrderRefunded, OrderSettled, GroupSucceeded, GroupFailed, TieredClosed]
    assert [kind.name for kind in kinds] == [
        "order.paid", "order.deposit_paid", "order.cancelled", "order.shipped",
        "order.completed", "order.refunded", "order.settled", "group.succeeded",
        "group.failed", "tiered.closed"]


def test_an_old_paid_payload_reads_back_typed_and_writes_the_same_json():
    paid = events.read(OrderPaid, PAID_BEFORE)
    assert paid.lines == (PaidLine(line_id=11, product_id=2, category="生鲜", quantity=2,
                                   amount_fen=3980),)
    assert (paid.order_id, paid.campaign_ref, paid.payment_id) == (7, "group:5", 3)
    assert paid.model_dump(mode="json") == PAID_BEFORE


def test_a_paid_order_with_nothing_due_has_no_payment():
    paid = events.read(OrderPaid, PAID_BEFORE | {"payment_id": None, "attribution": None})
    assert (paid.payment_id, paid.attribution) == (None, None)


@pytest.mark.parametrize(("kind", "before"), [
    (OrderCancelled, {"order_id": 7, "kind": "tiered", "campaign_ref": "tiered:2"}),
    (OrderDepositPaid, {"order_id": 7, "kind": "presale", "campaign_ref": "presale:1"}),
    (OrderShipped, {"order_id": 7}),
    (OrderCompleted, {"order_id": 7}),
    (OrderSettled, {"order_id": 7, "gross_fen": 3980, "fee_fen": 199, "supplier_fen": 3781}),
    (GroupFailed, {"group_id": 5}),
    (TieredClosed, {"deal_id": 2, "final_price_fen": 3490}),
])
def test_old_payloads_of_every_kind_read_back_with_the_same_json(kind, before):
    assert events.read(kind, before).model_dump(mode="json") == before


def test_an_old_refund_payload_lacks_one_flag_and_reads_it_as_false():
    lines = [{"line_id": 11, "quantity": 1, "amount_fen": 1990}]
    after = events.read(OrderRefunded, {"order_id": 7, "refund_id": 3, "amount_fen": 1990,
                                        "lines": lines, "after_settlement": True})
    difference = events.read(OrderRefunded, {"order_id": 7, "refund_id": 4, "amount_fen": 500,
                                             "lines": lines, "price_difference": True})
    assert (after.after_settlement, after.price_difference) == (True, False)
    assert (difference.after_settlement, difference.price_difference) == (False, True)
    assert after.lines[0].amount_fen == 1990


def test_a_payload_missing_a_field_is_refused_and_an_event_cannot_be_changed():
    with pytest.raises(ValidationError):
        events.read(OrderPaid, {k: v for k, v in PAID_BEFORE.items() if k != "lines"})
    paid = events.read(OrderPaid, PAID_BEFORE)
    with pytest.raises(ValidationError):
        paid.order_id = 8  # type: ignore[misc]
