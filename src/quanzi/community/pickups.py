"""At the pickup point: the goods arrive, and buyers collect them with their codes (核销).

Only the leader of the order's point may verify its code; every attempt, refused or
not, is written to the append-only log (``PickupAttempt``) with who, when, which point
and order, and the outcome. A verification takes the batch order's row lock and marks
it collected by a conditional update, so of two racing verifications exactly one wins;
the other is a 409 ``already_picked_up``.

Codes are not to be found by trying: each leader's refused attempts count against
``QUANZI_RATE_LIMIT_PICKUP`` (30 a minute); past it every attempt of that leader is a 429
``rate_limited``, right code or not, until the window moves on. A code verified never
counts, so a queue at the point is never slowed down.
"""

from contextlib import suppress

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.community import codes, domain
from quanzi.community.batches import move
from quanzi.community.models import (
    Arrival,
    Batch,
    BatchOrder,
    PickListRow,
    PickupAttempt,
    PickupPoint,
)
from quanzi.community.schemas import ArrivalOut
from quanzi.core import clock, rate_limits
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    QuanziError,
    RateLimited,
)
from quanzi.orders import pickup_support
from quanzi.orders.domain import COMPLETED, PAID
from quanzi.orders.schemas import OrderOut

__all__ = ["arrive", "leader_point", "verify"]


def leader_point(session: Session, leader: Identity, batch_id: int) -> PickupPoint:
    """The caller's point that has orders in the batch; 404 when they lead none."""
    point = session.scalar(select(PickupPoint).where(
        PickupPoint.leader_id == leader.id,
        exists().where(BatchOrder.batch_id == batch_id,
                       BatchOrder.pickup_point_id == PickupPoint.id))
        .order_by(PickupPoint.id).limit(1))
    if point is None:
        raise NotFound("you lead no pickup point with orders in this batch")
    return point


def arrive(*, leader: Identity, batch_id: int) -> ArrivalOut:
    """The batch's goods arrived at the leader's point (once; a repeat answers the first
    record). 409 before the batch is dispatched. When every point of the pick list has
    its goods, the batch is ``arrived``. Recorded after the point's orders were refunded
    for goods never arrived (``unarrived``), it changes nothing of them."""
    with transaction() as session:  # the batch's lock: arrivals queue, and so do the refunds
        batch = session.get(Batch, batch_id, with_for_update=True)  # of goods never arrived
        if batch is None:
            raise NotFound("no such batch")
        point = leader_point(session, leader, batch_id)
        if batch.status not in (domain.DISPATCHED, domain.ARRIVED):
            raise InvalidTransition("batch", batch.status, "arrive")
        arrival = session.get(Arrival, (batch_id, point.id))
        if arrival is None:
            arrival = Arrival(batch_id=batch_id, pickup_point_id=point.id,
                              arrived_at=clock.now(), recorded_by=leader.id)
            session.add(arrival)
            session.flush()
            _all_arrived(session, batch)
        return ArrivalOut(batch_id=batch_id, pickup_point_id=point.id,
                          arrived_at=arrival.arrived_at)


def _all_arrived(session: Session, batch: Batch) -> None:
    waiting = session.scalar(select(exists().where(
        PickListRow.batch_id == batch.id,
        ~exists().where(Arrival.batch_id == batch.id,
                        Arrival.pickup_point_id == PickListRow.pickup_point_id))))
    if not waiting and batch.status == domain.DISPATCHED:
        # the last two points arrived at once: the other one moved it
        with suppress(InvalidTransition):
            move(session, batch, "arrive", arrived_at=clock.now())


def verify(*, leader: Identity, code: str) -> OrderOut:
    """The leader verifies a buyer's code: the order is collected (``completed``). An
    order completed at the end of its pickup window (``uncollected``) is only recorded as
    handed over now.

    404 ``unknown_code``; 403 ``other_point`` (the order is collected elsewhere); 409
    ``already_picked_up``, ``refund_pending`` (the buyer asked for a refund not yet
    decided), ``not_arrived`` (the goods are not at the point yet), or the order's state;
    429 ``rate_limited`` (with ``retry_after``) once the leader's refused attempts used up
    ``QUANZI_RATE_LIMIT_PICKUP``. Each refusal but the 429 counts against that limit.
    """
    typed = codes.normalize(code)
    try:
        rate_limits.refuse_if_over(rate_limits.PICKUP, str(leader.id))
        with transaction() as session:
            return _verify(session, leader, typed)
    except RateLimited as exc:
        _log_refusal(leader.id, typed, exc.code)
        raise
    except QuanziError as exc:
        rate_limits.count(rate_limits.PICKUP, str(leader.id))
        _log_refusal(leader.id, typed, exc.code)
        raise


def _verify(session: Session, leader: Identity, code: str) -> OrderOut:
    row = session.scalar(select(BatchOrder).where(BatchOrder.pickup_code == code)
                         .with_for_update()) if code else None
    if row is None:
        raise NotFound("no order has this pickup code", code="unknown_code")
    point = session.get_one(PickupPoint, row.pickup_point_id)
    if point.leader_id != leader.id:
        raise Forbidden("this order is collected at another pickup point", code="other_point")
    status = pickup_support.status_of(session, row.order_id)
    if row.picked_up_at is not None:
        raise Conflict("this order was collected already", code="already_picked_up")
    if status not in (PAID, COMPLETED):  # completed: its pickup window ended uncollected
        raise InvalidTransition("order", status, "pick up")
    if pickup_support.refund_pending(session, row.order_id):
        raise Conflict("the buyer asked for a refund: wait for its decision",
                       code="refund_pending")
    if session.get(Arrival, (row.batch_id, row.pickup_point_id)) is None:
        raise Conflict("the goods have not arrived at this point yet", code="not_arrived")
    now = clock.now()
    if not changed_rows(session, update(BatchOrder).where(
            BatchOrder.order_id == row.order_id, BatchOrder.picked_up_at.is_(None))
            .values(picked_up_at=now).execution_options(synchronize_session=False)):
        raise Conflict("this order was collected already", code="already_picked_up")
    order = pickup_support.pick_up(session, row.order_id) if status == PAID \
        else pickup_support.order_of(session, row.order_id)
    session.add(PickupAttempt(verifier_id=leader.id, pickup_point_id=row.pickup_point_id,
                              order_id=row.order_id, code_tail=code[-4:], outcome="completed",
                              at=now))
    session.flush()
    return order.model_copy(update={"pickup_point_id": row.pickup_point_id})


def _log_refusal(verifier_id: int, code: str, outcome: str) -> None:
    """A refused attempt, in its own transaction (the refused one was rolled back)."""
    with transaction() as session:
        row = session.scalar(select(BatchOrder).where(BatchOrder.pickup_code == code)) \
            if code else None
        session.add(PickupAttempt(verifier_id=verifier_id, code_tail=code[-4:],
                                  pickup_point_id=row.pickup_point_id if row else None,
                                  order_id=row.order_id if row else None,
                                  outcome=outcome[:32], at=clock.now()))
