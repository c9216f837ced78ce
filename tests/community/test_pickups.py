"""Verifying pickup codes: exactly one of two racing verifications wins; refunds pending
and orders refunded are not handed out."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups
from quanzi.community.models import BatchOrder, PickupAttempt
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, QuanziError
from quanzi.orders import refunds
from quanzi.orders.schemas import RefundCreate
from quanzi.referral.models import Commission
from tests.community.helpers import (
    buyer,
    leader_point,
    open_batch,
    operator,
    paid_order,
    supplier_skus,
)


def _arrived_order(quantity: int = 2) -> tuple[Identity, int, int, str]:
    """A paid order whose goods arrived at its point: (leader, buyer id, order id, code)."""
    ops = operator()
    leader_id, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], ops=ops)
    buyer_id = buyer()
    placed = paid_order(buyer_id, batch_id, point_id, [(sku, quantity)])
    clock.advance(timedelta(hours=2))
    cutoff.cut_off_due()
    batches.dispatch(actor=ops, batch_id=batch_id)
    leader = Identity(leader_id, ("consumer", "leader"))
    pickups.arrive(leader=leader, batch_id=batch_id)
    with read_session() as session:
        code = session.get_one(BatchOrder, placed.id).pickup_code
    return leader, buyer_id, placed.id, code


def test_two_racing_verifications_exactly_one_wins():
    leader, _, order_id, code = _arrived_order()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def verify() -> None:
        start.wait()
        try:
            outcomes.append(pickups.verify(leader=leader, code=code).status)
        except QuanziError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=verify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_picked_up", "completed"]
    with read_session() as session:
        logged = sorted(session.scalars(select(PickupAttempt.outcome)
                                        .where(PickupAttempt.order_id == order_id)))
    assert logged == ["already_picked_up", "completed"]


def test_a_pending_refund_holds_the_goods_back_until_it_is_decided():
    leader, buyer_id, order_id, code = _arrived_order()
    with read_session() as session:
        line_id = session.get_one(BatchOrder, order_id)
        from quanzi.orders.models import OrderLine
        line_id = session.scalars(select(OrderLine.id)
                                  .where(OrderLine.order_id == order_id)).one()
    asked = refunds.request_refund(
        actor=Identity(buyer_id), order_id=order_id, idempotency_key="r1",
        data=RefundCreate(lines=[{"line_id": line_id, "quantity": 1}], reason="少了一个"))
    assert asked.status == "requested"  # dispatched: no longer refunded at once
    with pytest.raises(Conflict) as held:
        pickups.verify(leader=leader, code=code)
    assert held.value.code == "refund_pending"
    refunds.decide(actor=Identity(0, ("operator",)), refund_id=asked.id, approve=True,
                   note=None)
    assert pickups.verify(leader=leader, code=code).status == "completed"
    with read_session() as session:
        leader_rows = list(session.scalars(select(Commission).where(
            Commission.order_id == order_id, Commission.kind == "leader")))
    assert [(row.amount_fen, row.reversed_fen) for row in leader_rows] == [(200, 100)]
