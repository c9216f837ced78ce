"""The cut-off: late orders refused, unpaid ones cancelled, points below an item's
minimum refunded exactly once (also with two sweeps racing), the pick list frozen."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.accounts.identity import Identity
from quanzi.community import cutoff, queries
from quanzi.community.domain import CutOff
from quanzi.community.models import Batch, BatchItem, DispatchNoteRow
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger.models import JournalEntry
from quanzi.orders import lifecycle
from quanzi.orders.models import Order, OrderLine, Refund
from quanzi.referral.models import Commission
from tests.community.helpers import (
    buyer,
    leader_point,
    open_batch,
    operator,
    order,
    paid_order,
    supplier_skus,
)


def test_an_order_one_second_after_the_cut_off_is_refused_and_pointed_at_the_next_batch():
    ops = operator()
    _, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], stock=5, hours=1, ops=ops)
    following = open_batch([sku], stock=5, hours=30, ops=ops)
    clock.advance(timedelta(hours=1, seconds=1))  # no sweep has run: the time decides
    with pytest.raises(CutOff) as refused:
        order(buyer(), batch_id, point_id, [(sku, 1)])
    assert refused.value.code == "cut_off" and refused.value.next_batch_id == following
    assert f"batch {following}" in refused.value.message
    with read_session() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 0
        assert session.get_one(BatchItem, 1).stock_left == 5


def test_unpaid_orders_are_cancelled_and_their_stock_released_at_the_cut_off():
    ops = operator()
    _, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500, stock=10)
    batch_id = open_batch([sku], stock=10, ops=ops)
    unpaid = order(buyer(), batch_id, point_id, [(sku, 4)])
    clock.advance(timedelta(hours=2))
    assert cutoff.cut_off_due() == 1
    with read_session() as session:
        assert session.get_one(Order, unpaid.id).status == "cancelled"
        from quanzi.catalog.models import Sku
        assert session.get_one(Sku, sku).stock == 10
        assert session.scalar(select(func.sum(BatchItem.stock_left))) == 0
        assert session.get_one(Batch, batch_id).status == "cut_off"


def _below_minimum_world() -> tuple[int, list[int], list[int], int]:
    """Point A orders 3 of an item whose minimum is 5 (two paid orders), point B orders 6:
    (batch id, A's order ids, B's order ids, SKU id)."""
    ops = operator()
    _, _, point_a = leader_point("阳光家园", ops=ops)
    _, _, point_b = leader_point("翠苑一区", ops=ops)
    _, (sku, other) = supplier_skus(1500, 900)
    batch_id = open_batch([sku, other], minimum=5, price_fen=800, ops=ops)
    a_orders = [paid_order(buyer(), batch_id, point_a, [(sku, 2), (other, 5)]).id,
                paid_order(buyer(), batch_id, point_a, [(sku, 1)]).id]
    b_orders = [paid_order(buyer(), batch_id, point_b, [(sku, 6)]).id]
    clock.advance(timedelta(hours=2))
    return batch_id, a_orders, b_orders, sku


def _refunds_of(order_ids: list[int]) -> list[tuple[int, int]]:
    with read_session() as session:
        return sorted(session.execute(select(Refund.order_id, Refund.amount_fen).where(
            Refund.order_id.in_(order_ids))).all())


@pytest.mark.parametrize("sweeps", [1, 2])
def test_an_item_below_its_minimum_at_a_point_refunds_exactly_those_lines_once(sweeps: int):
    batch_id, a_orders, b_orders, sku = _below_minimum_world()
    start = threading.Barrier(sweeps)

    def run() -> None:
        start.wait()
        cutoff.cut_off_due()

    threads = [threading.Thread(target=run) for _ in range(sweeps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cutoff.cut_off_due()  # and a late third: nothing left to do
    assert _refunds_of(a_orders + b_orders) == [(a_orders[0], 1600), (a_orders[1], 800)]
    with read_session() as session:
        first = session.get_one(Order, a_orders[0])
        assert first.status == "paid" and first.refunded_fen == 1600  # its other item stays
        assert session.get_one(Order, a_orders[1]).status == "refunded"
        assert session.scalar(select(func.count()).select_from(JournalEntry)
                              .where(JournalEntry.kind == "refund")) == 2
        reversed_ = session.scalars(select(Commission.status).where(
            Commission.order_id == a_orders[1]))
        assert set(reversed_) == {"reversed"}
        pick = queries.pick_list(session, session.get_one(Batch, batch_id))
    by_point = {(p.pickup_point_id, i.sku_id): i.quantity for p in pick.points for i in p.items}
    assert sku not in {i.sku_id for p in pick.points[:1] for i in p.items}
    assert sorted(by_point.values()) == [5, 6]


def test_the_pick_list_totals_equal_the_paid_orders_and_the_notes_are_masked():
    ops = operator()
    _, _, point_a = leader_point("阳光家园", ops=ops)
    _, _, point_b = leader_point("翠苑一区", ops=ops)
    _, (sku, other) = supplier_skus(1500, 900)
    batch_id = open_batch([sku, other], price_fen=800, ops=ops)
    bought = [(point_a, [(sku, 2), (other, 1)]), (point_a, [(sku, 3)]),
              (point_b, [(other, 4)]), (point_b, [(sku, 1), (other, 2)])]
    paid = [paid_order(buyer(), batch_id, point, items).id for point, items in bought]
    order(buyer(), batch_id, point_b, [(sku, 7)])  # never paid: not on the list
    clock.advance(timedelta(hours=2))
    cutoff.cut_off_due()
    with read_session() as session:
        pick = queries.pick_list(session, session.get_one(Batch, batch_id))
        expected = dict(session.execute(
            select(OrderLine.sku_id, func.sum(OrderLine.quantity))
            .where(OrderLine.order_id.in_(paid)).group_by(OrderLine.sku_id)).all())
        notes = list(session.scalars(select(DispatchNoteRow).order_by(DispatchNoteRow.id)))
    assert {i.sku_id: i.quantity for i in pick.items} == expected == {sku: 6, other: 7}
    assert sum(i.quantity for p in pick.points for i in p.items) == 13
    assert {(p.pickup_point_id, i.sku_id): i.quantity for p in pick.points for i in p.items} == {
        (point_a, sku): 5, (point_a, other): 1, (point_b, other): 6, (point_b, sku): 1}
    assert len(notes) == 6 and all(n.buyer_name.endswith("*") for n in notes)
    assert {n.order_id for n in notes} == set(paid)


def test_an_order_cancelled_while_the_batch_sells_gives_its_units_back_to_the_batch():
    ops = operator()
    _, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], stock=3, ops=ops)
    first, second = buyer(), buyer()
    placed = order(first, batch_id, point_id, [(sku, 3)])
    with pytest.raises(Conflict) as sold_out:
        order(second, batch_id, point_id, [(sku, 1)])
    assert sold_out.value.code == "sold_out"
    lifecycle.cancel(actor=Identity(first), order_id=placed.id)
    with read_session() as session:
        assert session.scalar(select(BatchItem.stock_left)
                              .where(BatchItem.batch_id == batch_id)) == 3
    assert order(second, batch_id, point_id, [(sku, 3)]).status == "pending_payment"
