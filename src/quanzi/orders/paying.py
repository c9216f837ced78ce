"""Paying an order: what is due and when, and what the order does when the money arrives.

Orders decide; payments collect. :func:`start_payment` locks the order, works out what
is due now (the order, a presale's deposit or its balance) and asks payments for the one
open payment of that purpose (``payments.services.open_intent``); the provider's intent
is fetched after commit. :class:`OrderPayments` is the orders side of a provider's
callback (``payments.ports.PaymentListener``), plugged in by ``quanzi.wiring``.
"""

from pydantic import BaseModel
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.db import table
from quanzi.core.errors import Conflict, NotFound
from quanzi.core.idempotency import run_once
from quanzi.orders.access import Actor, as_buyer, can_see
from quanzi.orders.domain import amount_due
from quanzi.orders.lifecycle import mark_paid
from quanzi.orders.models import Order
from quanzi.payments import services as payments
from quanzi.payments.providers import get_provider
from quanzi.payments.schemas import PaymentIntentOut

__all__ = ["OrderPayments", "start_payment"]

# built once: building a statement costs more than running it
_O = table(Order).c  # Core statements on the table: the ORM's costs several times more
_DUE = (select(_O.buyer_id, _O.supplier_id, _O.status, _O.total_fen, _O.deposit_fen,
               _O.balance_from, _O.pay_deadline)
        .where(_O.id == bindparam("order")).with_for_update())
_LOCK = select(_O.id).where(_O.id == bindparam("order")).with_for_update()


class OpenedPayment(BaseModel):
    """What a pay request's key remembers: the payment it opened (or reused)."""

    payment_id: int


def start_payment(*, order_id: int, payer_id: int, provider_name: str,
                  idempotency_key: str, actor: Actor | None = None) -> PaymentIntentOut:
    """Open (or reuse) a payment intent for the buyer's unpaid order.

    The provider is asked for the intent after the payment row is committed, so no
    network call happens inside a transaction. 422 for an unknown provider; 404 if not
    the buyer's order; 409 if the order is no longer awaiting payment.
    """
    get_provider(provider_name)  # an unknown provider is refused before anything is written
    body = {"order_id": order_id, "provider": provider_name}

    made: dict[int, int] = {}  # payment id → amount, for a payment this request made

    def work(session: Session) -> OpenedPayment:
        made.clear()  # a try that rolled back made nothing
        payment_id, amount = _open_payment(session, order_id, actor or Actor(payer_id),
                                           provider_name)
        if amount is not None:
            made[payment_id] = amount
        return OpenedPayment(payment_id=payment_id)

    payment_id = run_once(f"pay:{payer_id}", idempotency_key, body, work,
                          answer=OpenedPayment).payment_id
    return payments.send_intent(payment_id=payment_id, provider_name=provider_name,
                                description=f"quanzi order {order_id}",
                                new_amount_fen=made.get(payment_id))


def _open_payment(session: Session, order_id: int, actor: Actor,
                  provider_name: str) -> tuple[int, int | None]:
    """The id of the order's one open payment for what is due now, made if there is none
    (then with its amount; None for a payment that was there already).

    The order's row is locked first, so parallel requests find the payment the first one
    made. 404 for whoever may not see the order; 403 for its supplier or an operator;
    409 when nothing is due, the balance window has not opened, or time has run out.
    """
    order = session.execute(_DUE, {"order": order_id}).first()
    if order is None or not can_see(actor, order):
        raise NotFound("no such order")
    as_buyer(actor, order)
    if order.total_fen == 0:  # paid when it was placed
        raise Conflict("nothing is due on this order", code="nothing_due")
    purpose, amount = amount_due(order.status, order.total_fen, order.deposit_fen)
    now = clock.now()
    if amount <= 0:
        raise Conflict("nothing is due on this order", code="nothing_due")
    if purpose == "balance" and order.balance_from is not None and now < order.balance_from:
        raise Conflict("the balance can be paid from " + order.balance_from.isoformat(),
                       code="not_started")
    if order.pay_deadline <= now:
        raise Conflict("the time to pay this order has run out", code="payment_expired")
    payment_id, made = payments.open_intent(session, order_id=order_id, payer_id=actor.id,
                                            purpose=purpose, amount_fen=amount,
                                            provider_name=provider_name)
    return payment_id, amount if made else None


class OrderPayments:
    """The orders domain as the payments' listener (``payments.ports.PaymentListener``)."""

    def lock(self, session: Session, order_id: int) -> None:
        """Lock the order's row, as every writer of an order and its payments does first."""
        session.execute(_LOCK, {"order": order_id})

    def paid(self, session: Session, *, order_id: int, payment_id: int, purpose: str) -> bool:
        """``lifecycle.mark_paid``: False when the order cannot take the payment."""
        return mark_paid(session, order_id, payment_id=payment_id, purpose=purpose)
