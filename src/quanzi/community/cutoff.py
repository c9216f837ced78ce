"""The cut-off (截单): what happens once, when a batch stops taking orders.

In the transaction that moves the batch to ``cut_off`` (one conditional update: of two
sweeps, one does it and the other finds nothing to do):

1. the batch's stock left goes back to its SKUs, so an order racing the cut-off waits
   for it and is then refused;
2. its unpaid orders are cancelled (their SKU stock goes back);
3. where a point's paid units of an item are below the item's ``min_qty_per_point``,
   that point's paid lines of the item are refunded in full (through orders: escrow,
   ledger, commissions reversed);
4. the picking list (units per SKU and point) and the dispatch notes (per point: each
   buyer's masked name, the last 4 digits of their phone, their lines) are written from
   the paid orders left, and never change after.

The provider is asked for the refunds after commit.
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.accounts.services import users_by_id
from quanzi.catalog import stock
from quanzi.community import domain
from quanzi.community.batches import move
from quanzi.community.models import Batch, BatchItem, BatchOrder, DispatchNoteRow, PickListRow
from quanzi.core import clock
from quanzi.core.db import transaction
from quanzi.core.errors import InvalidTransition
from quanzi.core.sweeps import sweep
from quanzi.orders import pickup_support

__all__ = ["cut_off_batch", "cut_off_due"]

BELOW_MINIMUM = "本自提点未达起订量，已全额退款 (below the minimum at this pickup point)"


def cut_off_due(now: datetime | None = None) -> int:
    """Cut off every batch whose cut-off time has come; returns how many."""
    now = now or clock.now()
    done = sweep(select(Batch.id).where(Batch.status.in_(domain.SELLING),
                                        Batch.cuts_off_at <= now).order_by(Batch.id),
                 _cut_off_one)
    if done:
        pickup_support.send_refunds()
    return done


def _cut_off_one(batch_id: int) -> bool:
    with transaction() as session:
        batch = session.get(Batch, batch_id, populate_existing=True)
        if batch is None or batch.cuts_off_at > clock.now():
            return False
        try:
            move(session, batch, "cut_off", cut_off_at=clock.now())
        except InvalidTransition:
            return False  # another sweep did it
        cut_off_batch(session, batch)
        return True


def cut_off_batch(session: Session, batch: Batch) -> None:
    """Steps 1–4 above, in the caller's transaction, which moved the batch (flushes)."""
    for item in session.scalars(select(BatchItem).where(BatchItem.batch_id == batch.id)
                                .order_by(BatchItem.sku_id).with_for_update()):
        if item.stock_left:
            stock.release(session, item.sku_id, item.stock_left)
            item.stock_left = 0
    session.flush()
    points = dict(session.execute(select(BatchOrder.order_id, BatchOrder.pickup_point_id)
                                  .where(BatchOrder.batch_id == batch.id)).all())
    for order in pickup_support.lock_orders(session, points):
        if order.pending:
            pickup_support.cancel(session, order.id)
    _refund_below_minimum(session, batch, points)
    _freeze(session, batch, points)


def _refund_below_minimum(session: Session, batch: Batch, points: dict[int, int]) -> None:
    minimum = dict(session.execute(select(BatchItem.sku_id, BatchItem.min_qty_per_point).where(
        BatchItem.batch_id == batch.id, BatchItem.min_qty_per_point > 0)).all())
    if not minimum:
        return
    units: dict[tuple[int, int], int] = defaultdict(int)
    lines: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for order_id, line_id, sku_id, held, _, _ in pickup_support.paid_lines(session, points):
        if sku_id in minimum:
            units[points[order_id], sku_id] += held
            lines[points[order_id], sku_id].append((order_id, line_id, held))
    for (point_id, sku_id), paid in sorted(units.items()):
        if domain.below_minimum(paid, minimum[sku_id]):
            for order_id, line_id, held in lines[point_id, sku_id]:
                pickup_support.refund_lines(session, order_id, {line_id: held},
                                            reason=BELOW_MINIMUM)


def _freeze(session: Session, batch: Batch, points: dict[int, int]) -> None:
    paid = pickup_support.paid_lines(session, points)
    totals: dict[tuple[int, int], int] = defaultdict(int)
    names: dict[int, tuple[str, str]] = {}
    for order_id, _, sku_id, held, title, spec in paid:
        totals[points[order_id], sku_id] += held
        names[sku_id] = (title, spec)
    session.add_all(PickListRow(batch_id=batch.id, pickup_point_id=point_id, sku_id=sku_id,
                                title=names[sku_id][0], spec=names[sku_id][1], quantity=units)
                    for (point_id, sku_id), units in sorted(totals.items()))
    buyers = dict(session.execute(select(BatchOrder.order_id, BatchOrder.buyer_id)
                                  .where(BatchOrder.batch_id == batch.id)).all())
    people = users_by_id(session, list(buyers.values()))
    notes = sorted(
        ((points[order_id], domain.phone_tail(people[buyers[order_id]].phone), order_id,
          sku_id, held, title, spec) for order_id, _, sku_id, held, title, spec in paid),
        key=lambda row: row[:4])
    position: dict[int, int] = defaultdict(int)
    for point_id, tail, order_id, sku_id, held, title, spec in notes:
        position[point_id] += 1
        session.add(DispatchNoteRow(
            batch_id=batch.id, pickup_point_id=point_id, position=position[point_id],
            order_id=order_id, buyer_name=domain.mask_name(people[buyers[order_id]].name),
            phone_tail=tail, sku_id=sku_id, title=title, spec=spec, quantity=held))
    session.flush()
