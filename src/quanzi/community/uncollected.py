"""Orders nobody collects: the end of the pickup window (超时未取).

The goods of a batch order wait at its pickup point. When the buyer has not collected
them ``QUANZI_PICKUP_WINDOW`` (7 days) after the batch's ``pickup_from`` — or after the
goods reached the point, if that was later — the order completes by itself, as 美团优选
and 多多买菜 confirm such orders and as a shipped order here completes after
``QUANZI_AUTO_CONFIRM``: the return window runs from then, the buyer can still ask for a
refund within it, and the supplier and the leader are settled after it like for any
completed order. The goods stay at the point: the leader can still hand them over with
the code (``pickups.verify`` records it). An order with a refund waiting for a decision
is left for that decision; orders at a point whose goods never arrived are not touched
(``unarrived`` refunds them after ``QUANZI_ARRIVAL_DEADLINE``).
Once nothing is left to collect the batch closes (``reactions.close_collected``).

Each order is handled in its own transaction under its batch order's row lock — the lock
a verification takes first — and moved by the order's conditional ``paid → completed``,
so a sweep racing another sweep or a verification completes the order once.

Example::

    complete_uncollected()   # the worker's sweep: how many orders it completed
"""

from datetime import datetime

from sqlalchemy import and_, select

from quanzi.community import domain
from quanzi.community.models import Arrival, Batch, BatchOrder
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.core.errors import InvalidTransition
from quanzi.core.sweeps import sweep
from quanzi.orders import pickup_support
from quanzi.orders.domain import PAID

__all__ = ["complete_uncollected"]


def complete_uncollected(now: datetime | None = None) -> int:
    """Complete every paid, uncollected batch order whose pickup window has ended;
    returns how many."""
    ended = (now or clock.now()) - get_settings().pickup_window
    due = (select(BatchOrder.order_id)
           .join(Batch, Batch.id == BatchOrder.batch_id)
           .join(Arrival, and_(Arrival.batch_id == BatchOrder.batch_id,
                               Arrival.pickup_point_id == BatchOrder.pickup_point_id))
           .where(Batch.status.in_((domain.DISPATCHED, domain.ARRIVED)),
                  Batch.pickup_from <= ended, Arrival.arrived_at <= ended,
                  BatchOrder.picked_up_at.is_(None),
                  pickup_support.uncollected(BatchOrder.order_id))
           .order_by(BatchOrder.order_id))
    return sweep(due, _complete)


def _complete(order_id: int) -> bool:
    with transaction() as session:
        row = session.get(BatchOrder, order_id, with_for_update=True, populate_existing=True)
        if row is None or row.picked_up_at is not None:
            return False
        if pickup_support.status_of(session, order_id) != PAID or \
                pickup_support.refund_pending(session, order_id):
            return False
        try:
            pickup_support.pick_up(session, order_id)
        except InvalidTransition:
            return False
        return True
