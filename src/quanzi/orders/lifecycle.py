"""Moving orders through their states: pay, cancel, ship, deliver, confirm, and the sweeps.

Every move is a conditional update on the current status, so two racing moves cannot
both succeed; the loser gets a 409 naming the state the order is in.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from quanzi.catalog import stock
from quanzi.core import clock, events
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, table, transaction
from quanzi.core.errors import InvalidTransition
from quanzi.core.sweeps import sweep
from quanzi.orders import domain, ports, settlement
from quanzi.orders.access import Actor, as_buyer, as_seller, visible_order
from quanzi.orders.domain import (
    CANCELLED,
    COMPLETED,
    DELIVERED,
    DEPOSIT_PAID,
    PENDING,
    SHIPPED,
)
from quanzi.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderDepositPaid,
    OrderPaid,
    OrderShipped,
    PaidLine,
)
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.schemas import OrderOut, ShipIn
from quanzi.orders.views import order_out
from quanzi.payments import refunds

SWEEP_BATCH = 200


def move(session: Session, order: Order, action: str, **values: Any) -> None:
    """Apply ``action`` to ``order`` if its stored status allows it (flushes); else 409
    (also while a hold forbids the move: ``domain.next_status``)."""
    target = domain.next_status(order.status, action, order.hold)
    unheld = (Order.hold.is_(None),) if action in domain.HELD_BACK else ()
    changed = changed_rows(
        session,
        update(Order).where(Order.id == order.id, Order.status == order.status, *unheld)
        .values(status=target, **values).execution_options(synchronize_session=False)
    )
    if not changed:
        session.refresh(order)
        domain.next_status(order.status, action, order.hold)  # a hold's 409, if that was it
        raise InvalidTransition("order", order.status, action,
                                reason=domain.WHY_NOT.get((action, order.status)))
    for key, value in {"status": target, **values}.items():
        set_committed_value(order, key, value)


def paid_event(order: Order, payment_id: int | None) -> OrderPaid:
    """What ``order.paid`` tells other domains."""
    return _paid_event(order, order.lines, payment_id)


def _paid_event(order: Any, lines: Iterable[Any], payment_id: int | None) -> OrderPaid:
    """``order.paid`` of an order and its lines, as objects or as rows of the same names."""
    return OrderPaid(order_id=order.id, buyer_id=order.buyer_id, supplier_id=order.supplier_id,
                     kind=order.kind, campaign_ref=order.campaign_ref,
                     total_fen=order.total_fen, attribution=order.attribution,
                     lines=tuple(PaidLine(line_id=line.id, product_id=line.product_id,
                                          category=line.category, quantity=line.quantity,
                                          amount_fen=line.amount_fen) for line in lines),
                     payment_id=payment_id)


def mark_paid(session: Session, order_id: int, *, payment_id: int, purpose: str = "order") -> bool:
    """Record that the order's payment arrived (flushes). False means: refund it.

    A pending order becomes paid. A cancelled one (the payment came after the timeout)
    is revived only if all its stock can be taken back (never a campaign order: its seat
    or allotment went to someone else); otherwise nothing changes and
    the caller refunds the payment. An order already paid is not paid twice.
    """
    if purpose == "order" and _pay_pending(session, order_id, payment_id):
        return True
    order = session.get(Order, order_id, with_for_update=True)
    if order is None:
        return False
    now = clock.now()
    if purpose == "deposit":
        return _deposit_paid(session, order, now)
    if order.status in (PENDING, DEPOSIT_PAID) and purpose == domain.amount_due(
            order.status, order.total_fen, order.deposit_fen)[0]:
        move(session, order, "pay", paid_at=now)
    elif order.status == CANCELLED and order.kind == "normal" and _take_stock_back(session, order):
        move(session, order, "revive", paid_at=now, cancelled_at=None)
    else:
        return False
    _paid(session, order, payment_id)
    return True


# The common payment, a pending order paid in full, as two Core statements on the tables:
# the rest of ``mark_paid`` loads the order through the ORM, several times the cost.
_O, _L = table(Order).c, table(OrderLine).c
_PAY_PENDING = (
    update(table(Order))
    .where(_O.id == bindparam("order"), _O.status == PENDING, _O.deposit_fen.is_(None))
    .values(status=domain.next_status(PENDING, "pay"), paid_at=bindparam("at"))
    .returning(_O.id, _O.buyer_id, _O.supplier_id, _O.kind, _O.campaign_ref, _O.total_fen,
               _O.attribution))
_PAID_LINES = (select(_L.id, _L.product_id, _L.category, _L.quantity,
                      (_L.price_fen * _L.quantity).label("amount_fen"))
               .where(_L.order_id == bindparam("order")).order_by(_L.id))


def _pay_pending(session: Session, order_id: int, payment_id: int) -> bool:
    """Pay the order if it is pending with no deposit (its row is locked by the update);
    False, and nothing changed, otherwise."""
    order = session.execute(_PAY_PENDING, {"order": order_id, "at": clock.now()}).first()
    if order is None:
        return False
    lines = session.execute(_PAID_LINES, {"order": order_id}).all()
    _announce_paid(session, _paid_event(order, lines, payment_id))
    return True


def pay_nothing_due(session: Session, order: Order) -> None:
    """An order with nothing to pay (a 0-fen bargain or flash sale, a presale whose balance
    is 0) is paid at once, without a payment and without a ledger entry (flushes).

    It then goes on like any paid order: ``order.paid`` is emitted (group seats, flash
    reservations and sold counts follow), commissions accrue (of 0), it ships and settles.
    """
    move(session, order, "pay", paid_at=clock.now())
    _paid(session, order, None)


def _paid(session: Session, order: Order, payment_id: int | None) -> None:
    _announce_paid(session, paid_event(order, payment_id))


def _announce_paid(session: Session, event: OrderPaid) -> None:
    """Commissions accrue with the money, in this transaction; the rest hear ``order.paid``."""
    ports.commissions().accrue(session, event)
    events.emit(session, event)


def _deposit_paid(session: Session, order: Order, now: datetime) -> bool:
    """A presale's deposit arrived: the order waits for its balance until the deadline,
    or is paid at once when the balance is 0."""
    if order.status != PENDING or order.deposit_fen is None:
        return False
    move(session, order, "pay_deposit", pay_deadline=order.balance_until or order.pay_deadline)
    events.emit(session, OrderDepositPaid(order_id=order.id, kind=order.kind,
                                          campaign_ref=order.campaign_ref))
    if order.total_fen == order.deposit_fen:
        pay_nothing_due(session, order)
    return True


def _take_stock_back(session: Session, order: Order) -> bool:
    taken: list[tuple[int, int]] = []
    for line in order.lines:
        if not stock.reserve(session, line.sku_id, line.quantity):
            for sku_id, quantity in taken:
                stock.release(session, sku_id, quantity)
            return False
        taken.append((line.sku_id, line.quantity))
    return True


def cancel(*, actor: Actor, order_id: int) -> OrderOut:
    """The buyer (or an operator) cancels an unpaid order; its stock goes back."""
    with transaction() as session:
        order = visible_order(session, actor, order_id)
        if not actor.is_operator:
            as_buyer(actor, order)
        _cancel(session, order)
        return order_out(order)


def cancel_order(session: Session, order: Order) -> None:
    """Cancel an unpaid order in the caller's transaction (flushes): stock goes back."""
    _cancel(session, order)


def _cancel(session: Session, order: Order, action: str = "cancel") -> None:
    move(session, order, action, cancelled_at=clock.now())
    if order.kind not in domain.ALLOTTED_KINDS:
        for line in order.lines:
            stock.release(session, line.sku_id, line.quantity)
    events.emit(session, OrderCancelled(order_id=order.id, kind=order.kind,
                                        campaign_ref=order.campaign_ref))


def lapse_balance(session: Session, order: Order, *, forfeit: bool) -> None:
    """A presale's balance was not paid in time (flushes): the order is cancelled, its
    stock released, and the deposit kept by the seller (``forfeit``) or refunded."""
    _cancel(session, order, "lapse")
    if forfeit:
        settlement.settle_forfeit(session, order)
    else:
        refunds.record_refund(session, order_id=order.id, amount_fen=order.deposit_fen or 0,
                              reason="尾款未付，定金退回 (balance unpaid: deposit refunded)",
                              ref=f"deposit:{order.id}")


def ship(*, actor: Actor, order_id: int, data: ShipIn) -> OrderOut:
    with transaction() as session:
        order = visible_order(session, actor, order_id)
        as_seller(actor, order)
        move(session, order, "ship", shipped_at=clock.now(), carrier=data.carrier,
             tracking_no=data.tracking_no)
        events.emit(session, OrderShipped(order_id=order.id))
        return order_out(order)


def deliver(*, actor: Actor, order_id: int) -> OrderOut:
    """The carrier reports delivery (recorded by the supplier or an operator)."""
    with transaction() as session:
        order = visible_order(session, actor, order_id)
        as_seller(actor, order)
        move(session, order, "deliver", delivered_at=clock.now())
        return order_out(order)


def confirm(*, actor: Actor, order_id: int) -> OrderOut:
    """The buyer confirms receipt (确认收货): the return window starts now."""
    with transaction() as session:
        order = visible_order(session, actor, order_id)
        as_buyer(actor, order)
        _complete(session, order)
        return order_out(order)


def _complete(session: Session, order: Order) -> None:
    move(session, order, "confirm", completed_at=clock.now())
    events.emit(session, OrderCompleted(order_id=order.id))


def release_hold(session: Session, campaign_ref: str) -> int:
    """Lift the hold of every order of ``campaign_ref`` (flushes); how many were held.

    The campaigns side calls it in the transaction where a group succeeds
    (``"group:12"``): its paid orders may ship from then on.
    """
    return changed_rows(
        session,
        update(Order).where(Order.campaign_ref == campaign_ref, Order.hold.is_not(None))
        .values(hold=None).execution_options(synchronize_session="fetch"))


def expire_unpaid(now: datetime | None = None) -> int:
    """Cancel orders whose payment deadline has passed; returns how many."""
    now = now or clock.now()
    return _sweep(select(Order.id).where(Order.status == PENDING, Order.pay_deadline <= now),
                  _cancel)


def auto_confirm(now: datetime | None = None) -> int:
    """Complete shipped orders the buyer has not confirmed within QUANZI_AUTO_CONFIRM."""
    cutoff = (now or clock.now()) - get_settings().auto_confirm
    return _sweep(select(Order.id).where(Order.status.in_((SHIPPED, DELIVERED)),
                                         Order.shipped_at <= cutoff), _complete)


def _sweep(query: Any, action: Callable[[Session, Order], None]) -> int:
    def handle(order_id: int) -> bool:
        try:
            with transaction() as session:
                order = session.get(Order, order_id, with_for_update=True)
                if order is None:
                    return False
                action(session, order)
                return True
        except InvalidTransition:
            return False  # someone else moved it first (paid, confirmed): nothing to do

    return sweep(query.order_by(Order.id), handle, limit=SWEEP_BATCH)


__all__ = ["COMPLETED", "auto_confirm", "cancel", "confirm", "deliver", "expire_unpaid",
           "mark_paid", "move", "pay_nothing_due", "release_hold", "ship"]
