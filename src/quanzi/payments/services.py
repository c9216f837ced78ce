"""Paying orders: intents, provider callbacks, and the sandbox shortcut."""

import logging

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.core.errors import Conflict, Forbidden, NotFound, PaymentRefused
from quanzi.core.idempotency import run_once
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import ESCROW, EXTERNAL
from quanzi.orders.domain import amount_due
from quanzi.orders.access import Actor, as_buyer, can_see
from quanzi.orders.lifecycle import mark_paid
from quanzi.orders.models import Order
from quanzi.payments import refunds
from quanzi.payments.models import CallbackLog, Payment
from quanzi.payments.providers import Notification, SandboxProvider, get_provider
from quanzi.payments.schemas import PaymentIntentOut

log = logging.getLogger(__name__)
UNPAID = ("created", "closed")  # a payment in these states may still be notified as paid
REFUSED_BODY_CHARS = 256  # of a callback whose signature did not verify
VERIFIED_BODY_CHARS = 4000


def start_payment(*, order_id: int, payer_id: int, provider_name: str,
                  idempotency_key: str, actor: Actor | None = None) -> PaymentIntentOut:
    """Open (or reuse) a payment intent for the buyer's unpaid order.

    The provider is asked for the intent after the payment row is committed, so no
    network call happens inside a transaction. 404 if not the buyer's order; 409 if the
    order is no longer awaiting payment.
    """
    provider = get_provider(provider_name)
    body = {"order_id": order_id, "provider": provider_name}

    def work(session: Session) -> dict[str, int]:
        return {"payment_id": _open_payment(session, order_id, actor or Actor(payer_id),
                                            provider_name)}

    payment_id = run_once(f"pay:{payer_id}", idempotency_key, body, work)["payment_id"]
    with transaction() as session:
        payment = session.get_one(Payment, payment_id)
        if payment.pay_url is not None:
            return intent_out(payment)
    intent = provider.create_intent(payment_id=payment.id, amount_fen=payment.amount_fen,
                                    description=f"quanzi order {order_id}")
    with transaction() as session:
        session.execute(update(Payment).where(Payment.id == payment_id,
                                              Payment.pay_url.is_(None))
                        .values(pay_url=intent.pay_url, provider_ref=intent.provider_ref))
        return intent_out(session.get_one(Payment, payment_id, populate_existing=True))


def _open_payment(session: Session, order_id: int, actor: Actor, provider_name: str) -> int:
    """The id of the order's one open payment for what is due now, made if there is none.

    The order's row is locked first, so parallel requests find the payment the first one
    made; the unique index on open payments backs this up. 404 for whoever may not see
    the order; 403 for its supplier or an operator; 409 when nothing is due.
    """
    order = session.get(Order, order_id, options=[lazyload(Order.lines)],
                        with_for_update=True, populate_existing=True)
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
    existing = _open_payment_id(session, order_id, purpose)
    if existing is not None:
        return existing
    payment = Payment(order_id=order_id, payer_id=actor.user_id, provider=provider_name,
                      purpose=purpose, amount_fen=amount, refunded_fen=0, status="created",
                      created_at=now)
    try:
        with session.begin_nested():
            session.add(payment)
    except IntegrityError:  # another open payment won the index: answer with that one
        existing = _open_payment_id(session, order_id, purpose)
        if existing is None:
            raise
        return existing
    return payment.id


def _open_payment_id(session: Session, order_id: int, purpose: str) -> int | None:
    """The order's open payment for ``purpose``, whatever its provider (at most one)."""
    return session.scalar(select(Payment.id).where(
        Payment.order_id == order_id, Payment.purpose == purpose, Payment.status == "created"))


def handle_callback(provider_name: str, headers: dict[str, str], body: bytes) -> str:
    """Act on a provider's notification once; returns the outcome.

    Outcomes: ``paid``; ``duplicate`` (already handled, no second effect); ``refunded``
    (paid after its order could no longer be sold: the money goes back). Refused
    notifications (bad or stale signature, unknown payment, wrong amount) are logged
    and raise PaymentRefused (400) without changing anything else; of a notification
    whose signature does not verify, only the first ``REFUSED_BODY_CHARS`` characters
    are kept.
    """
    provider = get_provider(provider_name)
    try:
        notice = provider.parse_callback(headers, body)
    except PaymentRefused as exc:  # unverified: anyone may send it, keep only its start
        _log(provider_name, None, exc.code, exc.message, _stored(body, REFUSED_BODY_CHARS))
        raise
    text = _stored(body, VERIFIED_BODY_CHARS)
    with transaction() as session:
        outcome, detail = _apply(session, notice)
        session.add(CallbackLog(provider=provider_name, payment_id=notice.payment_id,
                                outcome=outcome, detail=detail, body=text,
                                created_at=clock.now()))
    if outcome in {"unknown_payment", "amount_mismatch"}:
        log.warning("payment callback refused: %s (%s)", outcome, detail)
        raise PaymentRefused(detail, code=outcome)
    if outcome == "refunded":
        refunds.send_pending()
    return outcome


def _apply(session: Session, notice: Notification) -> tuple[str, str]:
    """Record the payment, then pay its order or refund it. The order's row is locked
    first, as every other writer of the order and its payments does; the payment changes
    by a conditional update. A payment ``closed`` before it was paid is recorded too (and
    refunded when its order cannot take it)."""
    payment = session.get(Payment, notice.payment_id)
    if payment is None:
        return "unknown_payment", f"no payment {notice.payment_id}"
    session.execute(select(Order.id).where(Order.id == payment.order_id).with_for_update())
    if notice.amount_fen != payment.amount_fen:
        return "amount_mismatch", (f"payment {payment.id} is for {payment.amount_fen} fen, "
                                   f"notified {notice.amount_fen}")
    succeeded = session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status.in_(UNPAID))
        .values(status="succeeded", succeeded_at=clock.now(),
                provider_ref=notice.provider_txn_id)
        .execution_options(synchronize_session=False)).rowcount
    if not succeeded:
        return "duplicate", f"payment {payment.id} was already {payment.status}"
    ledger.post(session, kind="payment", ref=f"order:{payment.order_id}",
                dedupe_key=f"payment:{payment.id}",
                postings=[(EXTERNAL, -payment.amount_fen), (ESCROW, payment.amount_fen)],
                memo=f"payment {payment.id} received")
    if mark_paid(session, payment.order_id, payment_id=payment.id, purpose=payment.purpose):
        return "paid", ""
    session.refresh(payment)
    refunds.record_refund(session, order_id=payment.order_id, amount_fen=payment.amount_fen,
                          reason="paid after the order could no longer be fulfilled",
                          ref=f"late:{payment.id}", payment_id=payment.id)
    return "refunded", "order could not take this payment; refunded in full"


def _stored(body: bytes, limit: int) -> str:
    """At most ``limit`` characters of a callback body, as text a log row can hold."""
    return body[:limit * 4].decode("utf-8", "replace")[:limit].replace("\x00", "\ufffd")


def _log(provider: str, payment_id: int | None, outcome: str, detail: str, body: str) -> None:
    log.warning("payment callback refused: %s (%s)", outcome, detail)
    with transaction() as session:
        session.add(CallbackLog(provider=provider, payment_id=payment_id, outcome=outcome,
                                detail=detail, body=body, created_at=clock.now()))


def complete_sandbox(*, payment_id: int, payer_id: int) -> int:
    """Make the sandbox send its signed success callback; returns the order id.

    Development only: in production this is a 403.
    """
    if get_settings().is_production:
        raise Forbidden("the sandbox payment shortcut is off in production")
    with transaction() as session:
        payment = session.get(Payment, payment_id)
        if payment is None or payment.payer_id != payer_id or payment.provider != "sandbox":
            raise NotFound("no such sandbox payment")
        order_id, amount = payment.order_id, payment.amount_fen
    sandbox = get_provider("sandbox")
    assert isinstance(sandbox, SandboxProvider)
    headers, body = sandbox.signed_callback(payment_id=payment_id, amount_fen=amount)
    handle_callback("sandbox", headers, body)
    return order_id


def intent_out(payment: Payment) -> PaymentIntentOut:
    return PaymentIntentOut(payment_id=payment.id, order_id=payment.order_id,
                            amount_fen=payment.amount_fen, provider=payment.provider,
                            status=payment.status, pay_url=payment.pay_url)
