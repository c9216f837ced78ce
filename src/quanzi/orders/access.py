"""Who may see and act on an order. Someone who may not see it gets a 404, not a 403."""

from typing import Protocol

from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.core.errors import Forbidden, NotFound
from quanzi.orders.models import Order

Actor = Identity  # the caller, as accounts knows them


class Owned(Protocol):
    """What the access rules read of an order: an ``Order``, or a row of these columns."""

    @property
    def buyer_id(self) -> int: ...

    @property
    def supplier_id(self) -> int: ...


def can_see(actor: Actor, order: Owned) -> bool:
    return (order.buyer_id == actor.id or actor.is_operator
            or ("supplier" in actor.roles and actor.supplier_id == order.supplier_id))


def visible_order(session: Session, actor: Actor, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None or not can_see(actor, order):
        raise NotFound("no such order")
    return order


def locked_order(session: Session, actor: Actor, order_id: int) -> Order:
    """``visible_order``, read afresh with its row locked until the transaction ends.

    For every decision that reads an order's state and then moves money (refund or
    settled? paid or not?): a concurrent writer of the order waits for this transaction
    (``FOR UPDATE`` on PostgreSQL; SQLite's writers are serial anyway).
    """
    order = session.get(Order, order_id, with_for_update=True, populate_existing=True)
    if order is None or not can_see(actor, order):
        raise NotFound("no such order")
    return order


def as_buyer(actor: Actor, order: Owned) -> None:
    if order.buyer_id != actor.id:
        raise Forbidden("only the buyer can do this")


def as_seller(actor: Actor, order: Order) -> None:
    """The order's supplier staff, or an operator."""
    if not (actor.is_operator or ("supplier" in actor.roles
                                  and actor.supplier_id == order.supplier_id)):
        raise Forbidden("only the order's supplier or an operator can do this")
