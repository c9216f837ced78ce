"""Batches that never close: an order left at its point ``QUANZI_PICKUP_WINDOW`` (7 days)
after the batch's pickup time completes by itself, the return window then runs and the
money settles; the batch closes once nothing is left to collect. Exactly once with sweeps
and verifications racing; the ledger check (autouse) stays clean."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.community import batches, cutoff, pickups, reactions
from quanzi.community.models import Batch, BatchOrder, PickupAttempt
from quanzi.community.uncollected import complete_uncollected
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.core.events import OutboxEvent
from quanzi.orders import settlement
from quanzi.orders.models import Order
from quanzi.referral.models import Commission
from tests.community.helpers import (
    ask_refund,
    batch_status,
    buyer,
    dispatched_batch,
    leader_point,
    open_batch,
    operator,
    order,
    order_row,
    race,
    supplier_skus,
)

WINDOW = timedelta(days=7)  # QUANZI_PICKUP_WINDOW's default


def _to_window_end(batch_id: int, after: timedelta = timedelta(seconds=1)) -> None:
    with read_session() as session:
        pickup_from = session.get_one(Batch, batch_id).pickup_from
    clock.advance(pickup_from + WINDOW + after - clock.now())


def _code(order_id: int) -> str:
    with read_session() as session:
        return session.get_one(BatchOrder, order_id).pickup_code


def _completions(order_id: int) -> int:
    with read_session() as session:
        rows = session.scalars(select(OutboxEvent.payload)
                               .where(OutboxEvent.name == "order.completed"))
        return sum(1 for payload in rows if payload["order_id"] == order_id)


def test_an_uncollected_order_completes_when_its_window_ends_and_then_settles():
    batch_id, [leader], [collected, left] = dispatched_batch()
    pickups.arrive(leader=leader, batch_id=batch_id)
    pickups.verify(leader=leader, code=_code(collected))
    _to_window_end(batch_id, after=timedelta(seconds=-1))
    assert complete_uncollected() == 0 and reactions.close_collected() == 0
    assert order_row(left).status == "paid" and batch_status(batch_id) == "arrived"

    clock.advance(timedelta(seconds=2))
    assert complete_uncollected() == 1
    assert complete_uncollected() == 0  # once
    done = order_row(left)
    assert done.status == "completed" and done.completed_at is not None
    assert timedelta(0) <= clock.now() - done.completed_at < timedelta(seconds=5)
    with read_session() as session:
        assert session.get_one(BatchOrder, left).picked_up_at is None
    assert reactions.close_collected() == 1 and batch_status(batch_id) == "closed"

    clock.advance(timedelta(days=7, seconds=1))  # QUANZI_RETURN_WINDOW from completion
    assert settlement.settle_due() == 2  # both orders, each after its return window
    with read_session() as session:
        assert session.get_one(Order, left).settled_at is not None
        assert session.scalars(select(Commission.status).where(
            Commission.order_id == left, Commission.kind == "leader")).all() == ["settled"]


def test_a_refund_waiting_for_its_decision_keeps_the_order_and_the_batch_open():
    batch_id, [leader], [asking] = dispatched_batch(orders=1)
    pickups.arrive(leader=leader, batch_id=batch_id)
    _to_window_end(batch_id, after=timedelta(hours=-1))
    ask_refund(asking, reason="坏了一个", key="late")
    clock.advance(timedelta(hours=1, seconds=2))
    assert complete_uncollected() == 0 and reactions.close_collected() == 0
    assert order_row(asking).status == "paid" and batch_status(batch_id) == "arrived"


def test_orders_whose_goods_never_reached_their_point_are_left_alone():
    batch_id, [here, away], [arrived, _, missing, _] = dispatched_batch(points=2)
    pickups.arrive(leader=here, batch_id=batch_id)
    _to_window_end(batch_id, after=timedelta(days=30))
    assert complete_uncollected() == 2
    assert order_row(arrived).status == "completed" and order_row(missing).status == "paid"
    assert reactions.close_collected() == 0 and batch_status(batch_id) == "dispatched"
    assert pickups.arrive(leader=away, batch_id=batch_id).batch_id == batch_id  # late goods
    assert complete_uncollected() == 0  # their own window starts at their arrival


def test_a_batch_dispatched_without_a_paid_order_closes():
    ops = operator()
    _, (sku,) = supplier_skus(1500)
    _, _, point_id = leader_point(ops=ops)
    batch_id = open_batch([sku], ops=ops)
    unpaid = order(buyer(), batch_id, point_id, [(sku, 1)])
    clock.advance(timedelta(hours=2, seconds=1))
    assert cutoff.cut_off_due() == 1 and order_row(unpaid.id).status == "cancelled"
    assert reactions.close_collected() == 0  # cut off, not dispatched yet
    assert batches.dispatch(actor=ops, batch_id=batch_id).status == "dispatched"
    assert reactions.close_collected() == 1 and batch_status(batch_id) == "closed"


def test_the_leader_can_still_hand_the_goods_over_and_it_is_only_recorded():
    batch_id, [leader], [late] = dispatched_batch(orders=1)
    pickups.arrive(leader=leader, batch_id=batch_id)
    _to_window_end(batch_id)
    assert complete_uncollected() == 1
    completed_at = order_row(late).completed_at
    clock.advance(timedelta(hours=3))
    handed = pickups.verify(leader=leader, code=_code(late))
    assert handed.status == "completed" and handed.completed_at == completed_at
    with read_session() as session:
        picked_up_at = session.get_one(BatchOrder, late).picked_up_at
    assert picked_up_at is not None and completed_at is not None
    assert picked_up_at - completed_at >= timedelta(hours=3)
    assert _completions(late) == 1
    try:
        pickups.verify(leader=leader, code=_code(late))
    except QuanziError as exc:
        assert exc.code == "already_picked_up"
    else:
        raise AssertionError("a second hand-over was accepted")


def test_two_sweeps_racing_complete_each_order_once():
    batch_id, [leader], order_ids = dispatched_batch(orders=3)
    pickups.arrive(leader=leader, batch_id=batch_id)
    _to_window_end(batch_id)
    assert sum(race(complete_uncollected, complete_uncollected)) == 3  # type: ignore[arg-type]
    assert [_completions(order_id) for order_id in order_ids] == [1, 1, 1]
    assert race(reactions.close_collected, reactions.close_collected) in ([0, 1], [1, 0])
    assert batch_status(batch_id) == "closed"


def test_a_sweep_racing_a_verification_completes_the_order_once():
    batch_id, [leader], [contested] = dispatched_batch(orders=1)
    pickups.arrive(leader=leader, batch_id=batch_id)
    _to_window_end(batch_id)
    code = _code(contested)
    results = race(complete_uncollected, lambda: pickups.verify(leader=leader, code=code))
    assert order_row(contested).status == "completed" and _completions(contested) == 1
    with read_session() as session:
        assert session.get_one(BatchOrder, contested).picked_up_at is not None
        logged = session.scalar(select(func.count()).select_from(PickupAttempt).where(
            PickupAttempt.order_id == contested, PickupAttempt.outcome == "completed"))
    assert logged == 1 and len(results) == 2
