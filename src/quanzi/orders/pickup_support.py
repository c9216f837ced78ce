"""What community buying may do to its orders, by order id: the door to pickup orders.

A community batch order (``kind="batch"``, on the ``pickup_order`` hold so it never
enters the shipping queue) is placed through ``orders.placing.create_order`` like any
order. Community then follows it through these functions, never through orders'
tables: at the cut-off it cancels the unpaid ones and refunds lines below a point's
minimum, at dispatch it marks the goods as gone (a refund asked for afterwards waits
for the supplier's decision, and no stock goes back), and at the pickup point the
verified code completes the order, which starts its return window (so does the end of
its pickup window when nobody collected it).

Each takes the caller's session, locks what it changes and only flushes. Example::

    for order in pickup_support.lock_orders(session, order_ids):
        if order.pending:
            pickup_support.cancel(session, order.id)
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from quanzi.core import clock, events
from quanzi.core.db import changed_rows
from quanzi.orders import lifecycle, refunds
from quanzi.orders.campaign_support import CampaignOrder, cancel, lock_orders, send_refunds
from quanzi.orders.domain import COMPLETED, PAID
from quanzi.orders.events import OrderCompleted
from quanzi.orders.models import Order, OrderLine, Refund
from quanzi.orders.schemas import OrderOut
from quanzi.orders.views import order_out

__all__ = ["CampaignOrder", "PaidLine", "awaiting_pickup", "cancel", "lock_orders",
           "mark_dispatched", "order_of", "paid_lines", "pick_up", "refund_lines",
           "refund_pending", "send_refunds", "status_of", "uncollected", "units_of"]

PaidLine = tuple[int, int, int, int, str, str]  # order id, line id, sku id, units held,
#                                                  title, spec


def status_of(session: Session, order_id: int) -> str:
    """The order's status (it must exist)."""
    return session.get_one(Order, order_id).status


def refund_pending(session: Session, order_id: int) -> bool:
    """Whether the buyer asked for a refund that is not decided yet."""
    return bool(session.scalar(select(exists().where(Refund.order_id == order_id,
                                                     Refund.status == "requested"))))


def paid_lines(session: Session, order_ids: Iterable[int], *,
               collected_too: bool = False) -> list[PaidLine]:
    """The lines of those orders that are paid (``collected_too``: or completed) and still
    hold units (less what was refunded), in order and line id order."""
    ids = list(order_ids)
    if not ids:
        return []
    statuses = (PAID, COMPLETED) if collected_too else (PAID,)
    rows = session.execute(
        select(OrderLine.order_id, OrderLine.id, OrderLine.sku_id,
               OrderLine.quantity - OrderLine.refunded_quantity, OrderLine.title, OrderLine.spec)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.id.in_(ids), Order.status.in_(statuses),
               OrderLine.quantity > OrderLine.refunded_quantity)
        .order_by(OrderLine.order_id, OrderLine.id))
    return [(o, line, sku, int(q), title, spec) for o, line, sku, q, title, spec in rows]


def units_of(session: Session, order_id: int) -> list[tuple[int, int]]:
    """(SKU id, quantity) of each of the order's lines."""
    return [(sku_id, int(quantity)) for sku_id, quantity in session.execute(
        select(OrderLine.sku_id, OrderLine.quantity).where(OrderLine.order_id == order_id)
        .order_by(OrderLine.id))]


def refund_lines(session: Session, order_id: int, wanted: dict[int, int], *,
                 reason: str) -> bool:
    """Refund these lines' units now (``refunds.refund_lines_now``); False if nothing was
    left to refund."""
    order = session.get_one(Order, order_id)
    return refunds.refund_lines_now(session, order, wanted, reason=reason) is not None


def mark_dispatched(session: Session, order_ids: Iterable[int]) -> int:
    """The goods of these paid orders left the supplier for their pickup points: a
    refund asked for from now on waits for a decision and puts no stock back. Returns
    how many were marked."""
    ids = list(order_ids)
    if not ids:
        return 0
    return changed_rows(
        session,
        update(Order).where(Order.id.in_(ids), Order.status == PAID, Order.shipped_at.is_(None))
        .values(shipped_at=clock.now()).execution_options(synchronize_session=False))


def pick_up(session: Session, order_id: int) -> OrderOut:
    """The buyer collected the order at its pickup point, or its pickup window ended with
    the goods there: paid → completed (409 from any other state), and the return window
    starts now."""
    order = session.get_one(Order, order_id, with_for_update=True, populate_existing=True)
    lifecycle.move(session, order, "pick_up", completed_at=clock.now())
    events.emit(session, OrderCompleted(order_id=order.id))
    return order_out(order)


def order_of(session: Session, order_id: int) -> OrderOut:
    """The order as it is now (it must exist)."""
    return order_out(session.get_one(Order, order_id))


def uncollected(
        order_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """A condition for community's own queries: the order ``order_id`` names is paid (not
    completed, refunded nor cancelled) and no refund of it waits for a decision."""
    return exists().where(Order.id == order_id, Order.status == PAID,
                          ~exists().where(Refund.order_id == Order.id,
                                          Refund.status == "requested"))


def awaiting_pickup(session: Session, order_ids: Iterable[int]) -> int:
    """How many of these orders are paid and not yet collected (nor refunded)."""
    ids = list(order_ids)
    if not ids:
        return 0
    return int(session.scalar(select(func.count()).select_from(Order)
                              .where(Order.id.in_(ids), Order.status == PAID)) or 0)
