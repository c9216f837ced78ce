"""Reading orders: one order, and pages of orders as each role may see them."""

import base64
import binascii
from collections.abc import Collection

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from quanzi.core.db import table
from quanzi.core.errors import Forbidden, InvalidInput, NotFound
from quanzi.orders.access import Actor, can_see
from quanzi.orders.domain import COMPLETED, DELIVERED, DEPOSIT_PAID, PAID, SHIPPED
from quanzi.orders.models import Order, OrderLine, Refund
from quanzi.orders.schemas import OrderOut, OrderPage
from quanzi.orders.views import order_out, order_row_out

_ORDER = select(table(Order)).where(table(Order).c.id == bindparam("order"))
_LINES = (select(table(OrderLine)).where(table(OrderLine).c.order_id == bindparam("order"))
          .order_by(table(OrderLine).c.id))


def get_order(session: Session, actor: Actor, order_id: int) -> OrderOut:
    """The order, if ``actor`` may see it (else 404). Read as rows, without the ORM: every
    paid sale answers with it."""
    order = session.execute(_ORDER, {"order": order_id}).first()
    if order is None or not can_see(actor, order):
        raise NotFound("no such order")
    return order_row_out(order, session.execute(_LINES, {"order": order_id}).all())


def list_orders(session: Session, actor: Actor, *, scope: str = "mine", status: str | None = None,
                cursor: str | None = None, limit: int = 20, to_ship: bool = False,
                after_sales: bool = False, order_id: int | None = None,
                buyer_ids: Collection[int] | None = None) -> OrderPage:
    """Newest first. ``scope``: ``mine`` (bought), ``supplier`` (my supplier's), ``all``
    (operator).

    ``to_ship``: only the shipping queue, paid orders on no hold (a 拼团 still forming waits).
    ``after_sales``: only orders with a refund asked for (售后, any outcome).
    ``order_id`` / ``buyer_ids`` (a search): the order with that id or the orders of those
    buyers (either matches when both are given; an empty ``buyer_ids`` matches none).
    """
    query = select(Order).order_by(Order.id.desc()).limit(limit + 1)
    if scope == "mine":
        query = query.where(Order.buyer_id == actor.id)
    elif scope == "supplier":
        if "supplier" not in actor.roles or actor.supplier_id is None:
            raise Forbidden("only supplier staff can list their supplier's orders")
        query = query.where(Order.supplier_id == actor.supplier_id)
    elif not actor.is_operator:
        raise Forbidden("only operators can list all orders")
    if status:
        query = query.where(Order.status == status)
    if to_ship:
        query = query.where(Order.status == PAID, Order.hold.is_(None))
    if after_sales:
        query = query.where(Order.id.in_(select(Refund.order_id)))
    if order_id is not None or buyer_ids is not None:
        query = query.where(or_(Order.id == (order_id or 0),
                                Order.buyer_id.in_(list(buyer_ids or ())[:500])))
    if cursor:
        query = query.where(Order.id < _decode(cursor))
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode(rows[-1].id) if more and rows else None
    return OrderPage(items=[order_out(o) for o in rows], next_cursor=next_cursor)


def refunds_waiting(session: Session, order_ids: Collection[int]) -> set[int]:
    """Which of ``order_ids`` (already visible to the caller) have a refund request waiting
    for the seller: such an order reads 退款中, not its status."""
    if not order_ids:
        return set()
    return set(session.scalars(select(Refund.order_id).distinct().where(
        Refund.order_id.in_(list(order_ids)), Refund.status == "requested")))


def supplier_escrow_fen(session: Session, supplier_id: int) -> int:
    """What buyers have paid for the supplier's orders not yet settled, less refunds: held
    in escrow until settlement (gross; the fee and commissions come off then)."""
    held = case((Order.status == DEPOSIT_PAID, func.coalesce(Order.deposit_fen, 0)),
                else_=Order.total_fen - Order.refunded_fen)
    total = session.scalar(
        select(func.coalesce(func.sum(held), 0))
        .where(Order.supplier_id == supplier_id, Order.settled_at.is_(None),
               Order.status.in_((DEPOSIT_PAID, PAID, SHIPPED, DELIVERED, COMPLETED))))
    return int(total or 0)


def _encode(order_id: int) -> str:
    return base64.urlsafe_b64encode(f"o{order_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("o") and text[1:].isdigit() and len(text) < 12:
            return int(text[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput("not a cursor from this list", code="bad_cursor")
