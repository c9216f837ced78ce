"""Goods that never reach a pickup point (未到货退款).

A dispatched batch's goods are recorded at each point by its leader (``pickups.arrive``);
until then nobody can collect them there. When a point's goods are still not recorded
``QUANZI_ARRIVAL_DEADLINE`` (2 days) after the batch's ``pickup_from``, the paid orders
waiting at that point are refunded in full, as 美团优选 and 多多买菜 refund what a
point never received: the buyer's money comes back, the supplier is paid nothing for
them, and the leader and the sharers earn nothing (their commissions are reversed with
the refund). No stock goes back: the goods left the supplier at dispatch. An order with
a refund waiting for a decision is left for that decision. Once nothing is left to
collect the batch closes (``reactions.close_collected``).

Each point is handled in its own transaction under its batch's row lock, which
``pickups.arrive`` takes too: an arrival recorded first keeps the orders, and one
recorded after the refunds finds them refunded. The provider is asked for the refunds
after commit.

Example::

    refund_unarrived()   # the worker's sweep: how many orders it refunded
"""

from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.orm import Session

from quanzi.community import domain
from quanzi.community.models import Arrival, Batch, BatchOrder
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session, transaction
from quanzi.orders import pickup_support

__all__ = ["NOT_ARRIVED", "arrival_due_by", "refund_unarrived"]

NOT_ARRIVED = "货品未送达自提点，已全额退款 (the goods never reached the pickup point)"


def arrival_due_by(batch: Batch) -> datetime | None:
    """Once the batch is dispatched: the instant after which a point whose goods are still
    not recorded has its waiting orders refunded."""
    if batch.status not in (domain.DISPATCHED, domain.ARRIVED):
        return None
    return batch.pickup_from + get_settings().arrival_deadline


def refund_unarrived(now: datetime | None = None) -> int:
    """Refund the waiting orders of every point whose goods were not recorded by the
    deadline; returns how many orders were refunded."""
    now = now or clock.now()
    with read_session() as session:
        late = session.execute(_late_points(now - get_settings().arrival_deadline)).all()
    refunded = sum(_refund_point(batch_id, point_id, now) for batch_id, point_id in late)
    if refunded:
        pickup_support.send_refunds()
    return refunded


def _late_points(ended: datetime) -> Select[int, int]:
    """(batch id, point id) of every point with orders waiting for goods past the deadline."""
    return (select(BatchOrder.batch_id, BatchOrder.pickup_point_id).distinct()
            .join(Batch, Batch.id == BatchOrder.batch_id)
            .where(Batch.status.in_((domain.DISPATCHED, domain.ARRIVED)),
                   Batch.pickup_from <= ended, _no_arrival(),
                   pickup_support.uncollected(BatchOrder.order_id))
            .order_by(BatchOrder.batch_id, BatchOrder.pickup_point_id))


def _no_arrival() -> ColumnElement[bool]:
    return ~exists().where(Arrival.batch_id == BatchOrder.batch_id,
                           Arrival.pickup_point_id == BatchOrder.pickup_point_id)


def _refund_point(batch_id: int, point_id: int, now: datetime) -> int:
    with transaction() as session:
        batch = session.get_one(Batch, batch_id, with_for_update=True, populate_existing=True)
        due_by = arrival_due_by(batch)
        if due_by is None or due_by > now \
                or session.get(Arrival, (batch_id, point_id)) is not None:
            return 0
        waiting = session.scalars(
            select(BatchOrder.order_id)
            .where(BatchOrder.batch_id == batch_id, BatchOrder.pickup_point_id == point_id,
                   pickup_support.uncollected(BatchOrder.order_id))
            .order_by(BatchOrder.order_id)).all()
        return sum(_refund_order(session, order_id) for order_id in waiting)


def _refund_order(session: Session, order_id: int) -> bool:
    """Refund every unit the order still holds; False if it held none."""
    lines = pickup_support.paid_lines(session, [order_id])
    wanted = {line_id: held for _, line_id, _, held, _, _ in lines}
    if not wanted:
        return False
    return pickup_support.refund_lines(session, order_id, wanted, reason=NOT_ARRIVED)
