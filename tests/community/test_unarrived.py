"""Goods that never reach a point: ``QUANZI_ARRIVAL_DEADLINE`` (2 days) after the batch's
pickup time, the orders waiting at a point whose goods were never recorded are refunded
in full; no stock goes back, nobody earns a commission on them, and the batch can close.
An arrival recorded first keeps them, under the batch's lock on both backends; the ledger
check (autouse) stays clean."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from quanzi.catalog.models import Sku
from quanzi.community import pickups, queries, reactions
from quanzi.community.models import Arrival, Batch, BatchOrder
from quanzi.community.unarrived import NOT_ARRIVED, refund_unarrived
from quanzi.community.uncollected import complete_uncollected
from quanzi.core import clock
from quanzi.core.config import Settings, get_settings
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.orders.models import OrderLine, Refund
from quanzi.referral.models import Commission
from tests.campaigns.helpers import signed_in
from tests.community.helpers import ask_refund, batch_status, dispatched_batch, order_row, race

DEADLINE = timedelta(days=2)  # QUANZI_ARRIVAL_DEADLINE's default


def _to_deadline(batch_id: int, after: timedelta) -> None:
    with read_session() as session:
        pickup_from = session.get_one(Batch, batch_id).pickup_from
    clock.advance(pickup_from + DEADLINE + after - clock.now())


def _stock(order_id: int) -> int:
    with read_session() as session:
        return session.scalars(select(Sku.stock).join(OrderLine, OrderLine.sku_id == Sku.id)
                               .where(OrderLine.order_id == order_id)).one()


def _refunds(order_id: int) -> list[Refund]:
    with read_session() as session:
        return list(session.scalars(select(Refund).where(Refund.order_id == order_id)))


def _code(order_id: int) -> str:
    with read_session() as session:
        return session.get_one(BatchOrder, order_id).pickup_code


def _refused(job) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(QuanziError) as refused:
        job()
    return refused.value.code


def test_the_orders_of_a_point_never_reached_are_refunded_at_the_deadline():
    batch_id, [here, _], [kept, also_kept, lost, also_lost] = dispatched_batch(points=2)
    pickups.arrive(leader=here, batch_id=batch_id)
    stock_before = _stock(lost)
    _to_deadline(batch_id, after=timedelta(seconds=-1))
    assert refund_unarrived() == 0 and order_row(lost).status == "paid"

    clock.advance(timedelta(seconds=2))
    assert refund_unarrived() == 2
    assert refund_unarrived() == 0  # once
    for order_id in (lost, also_lost):
        order = order_row(order_id)
        [refund] = _refunds(order_id)
        assert order.status == "refunded" and order.refunded_fen == order.total_fen
        assert (refund.status, refund.amount_fen, refund.reason) == (
            "refunded", order.total_fen, NOT_ARRIVED)
    assert _stock(lost) == stock_before  # the goods left at dispatch: none comes back
    assert [order_row(o).status for o in (kept, also_kept)] == ["paid", "paid"]
    with read_session() as session:
        earned = session.scalars(select(Commission.status).where(
            Commission.order_id.in_((lost, also_lost)), Commission.kind == "leader")).all()
    assert earned == ["reversed", "reversed"]  # the leader's share of each, undone

    for order_id in (kept, also_kept):
        pickups.verify(leader=here, code=_code(order_id))
    assert reactions.close_collected() == 1 and batch_status(batch_id) == "closed"


def test_a_refund_waiting_for_its_decision_is_left_to_that_decision():
    batch_id, _, [asking, other] = dispatched_batch()
    ask_refund(asking, reason="还没到货", key="gone")
    _to_deadline(batch_id, after=timedelta(seconds=1))
    assert refund_unarrived() == 1
    assert order_row(asking).status == "paid" and order_row(other).status == "refunded"
    assert [r.status for r in _refunds(asking)] == ["requested"]


def test_goods_recorded_after_the_refunds_change_nothing_of_them():
    batch_id, [leader], [lost] = dispatched_batch(orders=1)
    _to_deadline(batch_id, after=timedelta(hours=1))
    assert refund_unarrived() == 1
    assert pickups.arrive(leader=leader, batch_id=batch_id).batch_id == batch_id
    assert _refused(lambda: pickups.verify(leader=leader, code=_code(lost))) == \
        "invalid_transition"
    assert order_row(lost).status == "refunded"
    clock.advance(timedelta(days=30))
    assert complete_uncollected() == 0 and refund_unarrived() == 0
    assert reactions.close_collected() == 1 and batch_status(batch_id) == "closed"


def test_a_point_whose_goods_arrived_in_time_keeps_its_orders_for_good():
    batch_id, [leader], [waiting] = dispatched_batch(orders=1)
    pickups.arrive(leader=leader, batch_id=batch_id)
    _to_deadline(batch_id, after=timedelta(days=3))
    assert refund_unarrived() == 0 and order_row(waiting).status == "paid"


def test_the_deadline_is_a_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QUANZI_ARRIVAL_DEADLINE", "6h")
    assert Settings().arrival_deadline == timedelta(hours=6)
    monkeypatch.setattr(get_settings(), "arrival_deadline", timedelta(hours=6))
    batch_id, _, [lost] = dispatched_batch(orders=1)
    _to_deadline(batch_id, after=timedelta(hours=-42, seconds=-1))  # 6 h less 1 s
    assert refund_unarrived() == 0
    clock.advance(timedelta(seconds=2))
    assert refund_unarrived() == 1 and order_row(lost).status == "refunded"


@pytest.mark.parametrize("round_", range(3))
def test_an_arrival_racing_the_sweep_either_keeps_the_orders_or_comes_after(round_: int):
    batch_id, [leader], orders = dispatched_batch(orders=2)
    _to_deadline(batch_id, after=timedelta(seconds=1))
    results = race(lambda: pickups.arrive(leader=leader, batch_id=batch_id), refund_unarrived)
    [refunded] = [r for r in results if isinstance(r, int)]
    statuses = {order_row(order_id).status for order_id in orders}
    with read_session() as session:
        point_id = session.get_one(BatchOrder, orders[0]).pickup_point_id
        arrival = session.get_one(Arrival, (batch_id, point_id))
    if refunded:  # the sweep went first: the arrival waited for its commit
        assert refunded == 2 and statuses == {"refunded"}
        assert all(arrival.arrived_at >= r.created_at for o in orders for r in _refunds(o))
    else:  # the arrival went first: the sweep found it under the batch's lock
        assert statuses == {"paid"} and not any(_refunds(o) for o in orders)


def test_the_pick_list_says_when_each_point_got_its_goods_or_must(client):
    batch_id, [here, _], [kept, _, lost, _] = dispatched_batch(points=2)
    arrival = pickups.arrive(leader=here, batch_id=batch_id)
    with read_session() as session:
        pickup_from = session.get_one(Batch, batch_id).pickup_from
        point_of = {o: session.get_one(BatchOrder, o).pickup_point_id for o in (kept, lost)}
    _, headers = signed_in("operator")
    points = {p["pickup_point_id"]: p for p in client.get(
        f"/api/v1/batches/{batch_id}/pick-list", headers=headers).json()["points"]}
    assert points[point_of[kept]]["arrival_due_by"] is None
    assert _instant(points[point_of[kept]]["arrived_at"]) == arrival.arrived_at
    assert points[point_of[lost]]["arrived_at"] is None
    assert _instant(points[point_of[lost]]["arrival_due_by"]) == pickup_from + DEADLINE


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_leader_is_told_by_when_to_record_the_goods_until_they_do():
    batch_id, [leader], _ = dispatched_batch(orders=1)
    with read_session() as session:
        pickup_from = session.get_one(Batch, batch_id).pickup_from
        before = queries.leader_orders(session, leader, batch_id)
    assert (before.arrived, before.arrival_due_by) == (False, pickup_from + DEADLINE)
    pickups.arrive(leader=leader, batch_id=batch_id)
    with read_session() as session:
        after = queries.leader_orders(session, leader, batch_id)
    assert (after.arrived, after.arrival_due_by) == (True, None)


@pytest.mark.parametrize("round_", range(3))
def test_the_last_two_points_arriving_at_once_make_the_batch_arrived(round_: int):
    batch_id, [first, second], _ = dispatched_batch(orders=1, points=2)
    race(lambda: pickups.arrive(leader=first, batch_id=batch_id),
         lambda: pickups.arrive(leader=second, batch_id=batch_id))
    assert batch_status(batch_id) == "arrived"
