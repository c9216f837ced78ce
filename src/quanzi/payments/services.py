"""Payments: intents, provider callbacks, and the sandbox shortcut.

A payment knows the id of the order it pays, never the order: what is due is decided by
the orders domain (``orders.paying``), which calls :func:`open_intent` under the order's
row lock and :func:`send_intent` after commit. A verified callback moves the money into
escrow and tells the order through the listener that ``quanzi.wiring`` plugged into
``payments.ports``.
"""

import logging
from typing import Protocol

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import (
    changed_rows,
    is_postgres,
    single_read,
    single_write,
    table,
    transaction,
)
from quanzi.core.errors import Forbidden, NotFound, PaymentRefused
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import ESCROW, EXTERNAL
from quanzi.payments import ports, refunds
from quanzi.payments.models import OPEN, CallbackLog, Payment
from quanzi.payments.providers import Notification, SandboxProvider, get_provider
from quanzi.payments.schemas import PaymentIntentOut

log = logging.getLogger(__name__)
UNPAID = ("created", "closed")  # a payment in these states may still be notified as paid
REFUSED_BODY_CHARS = 256  # of a callback whose signature did not verify
VERIFIED_BODY_CHARS = 4000

# the statements of every sale, built once (building one costs more than running it) and
# on the tables (Core: an ORM-enabled statement costs several times more)
_P = table(Payment).c
_OPEN_PAYMENT = select(_P.id).where(
    _P.order_id == bindparam("order_id"), _P.purpose == bindparam("purpose"),
    _P.status == "created")
_NEW_PAYMENT = {  # by dialect: an insert that loses on the open payments' index writes nothing
    name: dialect.insert(table(Payment))
    .on_conflict_do_nothing(index_elements=["order_id", "purpose"], index_where=text(OPEN))
    .returning(_P.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}
_NOTIFIED = select(_P.id, _P.order_id, _P.amount_fen, _P.status, _P.purpose).where(
    _P.id == bindparam("id"))
_SUCCEED = (update(table(Payment)).where(_P.id == bindparam("payment"), _P.status.in_(UNPAID))
            .values(status="succeeded", succeeded_at=bindparam("at"),
                    provider_ref=bindparam("ref")))
_LOG_CALLBACK = insert(table(CallbackLog))
_SANDBOX_PAYMENT = select(_P.payer_id, _P.provider, _P.order_id, _P.amount_fen).where(
    _P.id == bindparam("id"))


def open_intent(session: Session, *, order_id: int, payer_id: int, purpose: str,
                amount_fen: int, provider_name: str) -> tuple[int, bool]:
    """The id of the order's one open payment for ``purpose``, made if there is none, and
    whether this call made it.

    The caller has locked the order's row and decided what is due, so parallel callers
    find the payment the first one made; the partial unique index on open payments backs
    this up (an insert that loses on it writes nothing, and the winner's payment is the
    answer). An open payment of another provider is reused as it is: ``amount_fen`` only
    counts for a new one.
    """
    existing = _open_payment_id(session, order_id, purpose)
    if existing is not None:
        return existing, False
    made = session.scalar(_NEW_PAYMENT["postgresql" if is_postgres(session) else "sqlite"], {
        "order_id": order_id, "payer_id": payer_id, "provider": provider_name,
        "purpose": purpose, "amount_fen": amount_fen, "refunded_fen": 0, "status": "created",
        "created_at": clock.now()})
    if made is not None:
        return made, True
    existing = _open_payment_id(session, order_id, purpose)
    assert existing is not None, "the open payment that won the index is gone"
    return existing, False


def _open_payment_id(session: Session, order_id: int, purpose: str) -> int | None:
    """The order's open payment for ``purpose``, whatever its provider (at most one)."""
    return session.scalar(_OPEN_PAYMENT, {"order_id": order_id, "purpose": purpose})


INTENT_COLUMNS = (_P.id, _P.order_id, _P.amount_fen, _P.provider, _P.status, _P.pay_url)
_INTENT = select(*INTENT_COLUMNS).where(_P.id == bindparam("id"))
_WRITE_INTENT = (update(table(Payment))
                 .where(_P.id == bindparam("payment"), _P.pay_url.is_(None))
                 .values(pay_url=bindparam("url"), provider_ref=bindparam("ref"))
                 .returning(*INTENT_COLUMNS))


def send_intent(*, payment_id: int, provider_name: str, description: str,
                new_amount_fen: int | None = None) -> PaymentIntentOut:
    """Ask ``provider_name`` for the intent of a committed payment, once; returns it.

    Called outside any transaction (the provider may do network I/O). A payment that
    already has its ``pay_url`` is answered as it is; of two callers racing, the first
    ``pay_url`` written is kept. ``new_amount_fen``: the caller has just made the payment,
    for this amount, so it has no ``pay_url`` yet and need not be read first.
    """
    provider = get_provider(provider_name)
    amount_fen = new_amount_fen
    if amount_fen is None:
        with single_read() as connection:  # committed: no transaction needed to read it
            payment = connection.execute(_INTENT, {"id": payment_id}).one()
        if payment.pay_url is not None:
            return intent_out(payment)
        amount_fen = payment.amount_fen
    intent = provider.create_intent(payment_id=payment_id, amount_fen=amount_fen,
                                    description=description)
    with single_write() as connection:  # one conditional update: no transaction around it
        written = connection.execute(_WRITE_INTENT, {
            "payment": payment_id, "url": intent.pay_url, "ref": intent.provider_ref}).first()
        return intent_out(written or connection.execute(_INTENT, {"id": payment_id}).one())


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
        session.execute(_LOG_CALLBACK, {
            "provider": provider_name, "payment_id": notice.payment_id, "outcome": outcome,
            "detail": detail, "body": text, "created_at": clock.now()})
    if outcome in {"unknown_payment", "amount_mismatch"}:
        log.warning("payment callback refused: %s (%s)", outcome, detail)
        raise PaymentRefused(detail, code=outcome)
    if outcome == "refunded":
        refunds.send_pending()
    return outcome


def _apply(session: Session, notice: Notification) -> tuple[str, str]:
    """Record the payment, then pay its order or refund it. The order's row is locked
    first (``ports.listener().lock``), as every other writer of the order and its payments
    does; the payment changes by a conditional update. A payment ``closed`` before it was
    paid is recorded too (and refunded when its order cannot take it)."""
    payment = session.execute(_NOTIFIED, {"id": notice.payment_id}).first()
    if payment is None:
        return "unknown_payment", f"no payment {notice.payment_id}"
    order = ports.listener()
    order.lock(session, payment.order_id)
    if notice.amount_fen != payment.amount_fen:
        return "amount_mismatch", (f"payment {payment.id} is for {payment.amount_fen} fen, "
                                   f"notified {notice.amount_fen}")
    succeeded = changed_rows(session, _SUCCEED, {"payment": payment.id, "at": clock.now(),
                                                 "ref": notice.provider_txn_id})
    if not succeeded:
        return "duplicate", f"payment {payment.id} was already {payment.status}"
    ledger.post(session, kind="payment", ref=f"order:{payment.order_id}",
                dedupe_key=f"payment:{payment.id}",
                postings=[(EXTERNAL, -payment.amount_fen), (ESCROW, payment.amount_fen)],
                memo=f"payment {payment.id} received")
    if order.paid(session, order_id=payment.order_id, payment_id=payment.id,
                  purpose=payment.purpose):
        return "paid", ""
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
    with single_read() as connection:
        payment = connection.execute(_SANDBOX_PAYMENT, {"id": payment_id}).first()
    if payment is None or payment.payer_id != payer_id or payment.provider != "sandbox":
        raise NotFound("no such sandbox payment")
    order_id, amount = int(payment.order_id), int(payment.amount_fen)
    sandbox = get_provider("sandbox")
    assert isinstance(sandbox, SandboxProvider)
    headers, body = sandbox.signed_callback(payment_id=payment_id, amount_fen=amount)
    handle_callback("sandbox", headers, body)
    return order_id


class IntentFields(Protocol):
    """What an intent shows of a payment: a ``Payment``, or a row of ``INTENT_COLUMNS``."""

    @property
    def id(self) -> int: ...

    @property
    def order_id(self) -> int: ...

    @property
    def amount_fen(self) -> int: ...

    @property
    def provider(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def pay_url(self) -> str | None: ...


def intent_out(payment: IntentFields) -> PaymentIntentOut:
    return PaymentIntentOut(payment_id=payment.id, order_id=payment.order_id,
                            amount_fen=payment.amount_fen, provider=payment.provider,
                            status=payment.status, pay_url=payment.pay_url)
