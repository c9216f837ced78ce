"""The leader's commission: the batch's rate as it was when each order was placed,
pending at payment, settled after the return window from pickup, reversed by refunds,
clawed back after settlement."""

from datetime import timedelta

from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups, reactions
from quanzi.community.models import BatchOrder
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import wallet_account
from quanzi.orders import refunds, settlement
from quanzi.orders.models import OrderLine
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


def _leader_rows(order_id: int) -> list[tuple[int, int, str]]:
    with read_session() as session:
        return [(c.rate_bp, c.amount_fen - c.reversed_fen - c.clawed_back_fen, c.status)
                for c in session.scalars(select(Commission).where(
                    Commission.order_id == order_id, Commission.kind == "leader"))]


def _wallet(user_id: int) -> int:
    with read_session() as session:
        return ledger.balance(session, wallet_account(user_id))


def _collect_all(ops: Identity, leader: Identity, batch_id: int, order_ids: list[int]) -> None:
    clock.advance(timedelta(hours=2))
    cutoff.cut_off_due()
    batches.dispatch(actor=ops, batch_id=batch_id)
    pickups.arrive(leader=leader, batch_id=batch_id)
    with read_session() as session:
        codes = [session.get_one(BatchOrder, o).pickup_code for o in order_ids]
    for code in codes:
        pickups.verify(leader=leader, code=code)


def test_a_rate_change_leaves_placed_orders_and_closed_batches_alone():
    ops = operator()
    leader_id, _, point_id = leader_point(ops=ops)
    leader = Identity(leader_id, ("leader",))
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], price_fen=1000, rate_bps=1000, ops=ops)
    before = paid_order(buyer(), batch_id, point_id, [(sku, 1)]).id
    batches.change_rate(actor=ops, batch_id=batch_id, rate_bps=500)
    after = paid_order(buyer(), batch_id, point_id, [(sku, 1)]).id
    _collect_all(ops, leader, batch_id, [before, after])
    assert reactions.close_collected() == 1
    try:
        batches.change_rate(actor=ops, batch_id=batch_id, rate_bps=2000)
        raise AssertionError("a closed batch took a new rate")
    except Conflict as refused:
        assert refused.code == "invalid_transition"
    assert _leader_rows(before) == [(1000, 100, "pending")]
    assert _leader_rows(after) == [(500, 50, "pending")]


def test_commission_settles_after_the_window_from_pickup_and_is_clawed_back_by_a_refund():
    ops = operator()
    leader_id, _, point_id = leader_point(ops=ops)
    leader = Identity(leader_id, ("leader",))
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], price_fen=1000, rate_bps=800, ops=ops)
    buyer_id = buyer()
    order_id = paid_order(buyer_id, batch_id, point_id, [(sku, 5)]).id
    assert _leader_rows(order_id) == [(800, 400, "pending")]
    _collect_all(ops, leader, batch_id, [order_id])
    clock.advance(timedelta(days=6))
    assert settlement.settle_due() == 0  # the window counts from pickup
    clock.advance(timedelta(days=1, seconds=1))
    assert settlement.settle_due() == 1
    assert _leader_rows(order_id) == [(800, 400, "settled")] and _wallet(leader_id) == 400
    with read_session() as session:
        line_id = session.scalars(select(OrderLine.id)
                                  .where(OrderLine.order_id == order_id)).one()
    refunds.after_sales_refund(actor=Identity(ops.id, ("operator",)), order_id=order_id,
                               idempotency_key="as1", data=RefundCreate(
                                   lines=[{"line_id": line_id, "quantity": 5}], reason="坏了"))
    assert _leader_rows(order_id) == [(800, 0, "clawed_back")] and _wallet(leader_id) == 0


def test_a_refund_before_the_cut_off_reverses_the_pending_commission():
    ops = operator()
    _, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], price_fen=1000, rate_bps=1000, ops=ops)
    buyer_id = buyer()
    order_id = paid_order(buyer_id, batch_id, point_id, [(sku, 2)]).id
    with read_session() as session:
        line_id = session.scalars(select(OrderLine.id)
                                  .where(OrderLine.order_id == order_id)).one()
    granted = refunds.request_refund(
        actor=Identity(buyer_id), order_id=order_id, idempotency_key="r1",
        data=RefundCreate(lines=[{"line_id": line_id, "quantity": 2}], reason="不要了"))
    assert granted.status == "refunded"
    assert _leader_rows(order_id) == [(1000, 0, "reversed")]
