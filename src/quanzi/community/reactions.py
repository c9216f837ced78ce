"""How community buying follows its orders, and the worker's sweeps of its batches.

- a batch order cancelled unpaid (its payment deadline passed, or the buyer cancelled)
  → its units go back to the batch's ``stock_left`` while the batch still sells, else
  (the cut-off gave the batch's unsold units back already) to the SKU's stock;
- sweeps: scheduled batches open at ``opens_at``; batches are cut off at ``cuts_off_at``
  (``community.cutoff``); orders left uncollected complete at the end of their pickup
  window (``community.uncollected``); a dispatched or arrived batch with nothing left to
  collect (no paid order: each was collected, completed so, or refunded) closes — one
  dispatched with no paid order at all closes at the first sweep after its dispatch.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.catalog import stock
from quanzi.community import domain
from quanzi.community.batches import move
from quanzi.community.models import Batch, BatchItem, BatchOrder
from quanzi.core import clock, events
from quanzi.core.db import changed_rows, read_session, transaction
from quanzi.core.errors import InvalidTransition
from quanzi.core.sweeps import sweep
from quanzi.orders import pickup_support
from quanzi.orders.events import OrderCancelled

__all__ = ["close_collected", "open_due", "subscribe"]


def give_back_units(session: Session, event: OrderCancelled) -> None:
    """``order.cancelled`` of a batch order → its units back to the batch if it sells,
    else to the SKU."""
    if event.kind != "batch":
        return
    batch_id = session.scalar(select(BatchOrder.batch_id)
                              .where(BatchOrder.order_id == event.order_id))
    if batch_id is None:
        return
    selling = select(Batch.id).where(Batch.id == batch_id, Batch.status.in_(domain.SELLING))
    for sku_id, quantity in pickup_support.units_of(session, event.order_id):
        if not changed_rows(session, update(BatchItem).where(
                BatchItem.batch_id == batch_id, BatchItem.sku_id == sku_id,
                BatchItem.batch_id.in_(selling))
                .values(stock_left=BatchItem.stock_left + quantity)
                .execution_options(synchronize_session=False)):
            stock.release(session, sku_id, quantity)


def subscribe() -> None:
    """Subscribe the handlers above (``handlers.register`` calls it)."""
    events.subscribe(OrderCancelled, give_back_units)


def open_due(now: datetime | None = None) -> int:
    """Open every scheduled batch whose ``opens_at`` has come; returns how many."""
    now = now or clock.now()
    return sweep(select(Batch.id).where(Batch.status == domain.SCHEDULED,
                                        Batch.opens_at <= now, Batch.cuts_off_at > now)
                 .order_by(Batch.id), lambda batch_id: _move(batch_id, "open"))


def close_collected() -> int:
    """Close every dispatched or arrived batch none of whose orders waits to be
    collected (no paid order)."""
    return sweep(select(Batch.id).where(Batch.status.in_((domain.DISPATCHED, domain.ARRIVED)))
                 .order_by(Batch.id), _close_if_collected)


def _move(batch_id: int, action: str) -> bool:
    with transaction() as session:
        batch = session.get_one(Batch, batch_id)
        try:
            move(session, batch, action, **_stamp(action))
        except InvalidTransition:
            return False
        return True


def _stamp(action: str) -> dict[str, datetime]:
    return {"closed_at": clock.now()} if action == "close" else {}


def _close_if_collected(batch_id: int) -> bool:
    """A read first, without the write lock (most batches looked at still wait): past
    the cut-off no order of the batch becomes paid again, so what it finds stays true."""
    with read_session() as session:
        order_ids = session.scalars(select(BatchOrder.order_id)
                                    .where(BatchOrder.batch_id == batch_id))
        if pickup_support.awaiting_pickup(session, order_ids):
            return False
    return _move(batch_id, "close")
