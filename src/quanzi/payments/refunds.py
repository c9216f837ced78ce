"""Refunds of payments: recorded in the ledger in the caller's transaction, sent after it.

``record_refund`` moves the money out of escrow and queues a ``PaymentRefund``;
``send_pending`` later asks the provider to pay it back (network I/O, so never inside a
transaction) and is retried by the worker until the provider confirms.
"""

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.db import changed_rows, transaction
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import ESCROW, EXTERNAL
from quanzi.payments.models import Payment, PaymentRefund
from quanzi.payments.providers import get_provider

log = logging.getLogger(__name__)


def record_refund(session: Session, *, order_id: int, amount_fen: int, reason: str,
                  ref: str, payment_id: int | None = None) -> list[int]:
    """Refund ``amount_fen`` of the order's successful payments (flushes); returns refund ids.

    Latest payment first (a presale's balance before its deposit), or only ``payment_id``.
    Posts escrow → external for each part, keyed by ``ref`` so it posts once.
    """
    query = select(Payment).where(Payment.order_id == order_id, Payment.status == "succeeded")
    if payment_id is not None:
        query = query.where(Payment.id == payment_id)
    payments = session.scalars(query.order_by(Payment.id.desc())).all()
    left, ids = amount_fen, []
    for payment in payments:
        part = min(left, payment.amount_fen - payment.refunded_fen)
        if part <= 0:
            continue
        session.execute(update(Payment).where(Payment.id == payment.id,
                                              Payment.refunded_fen + part <= Payment.amount_fen)
                        .values(refunded_fen=Payment.refunded_fen + part))
        refund = PaymentRefund(payment_id=payment.id, amount_fen=part, reason=reason[:255],
                               status="pending", created_at=clock.now())
        session.add(refund)
        session.flush()
        ledger.post(session, kind="refund", ref=f"order:{order_id}",
                    dedupe_key=f"{ref}:payment:{payment.id}",
                    postings=[(ESCROW, -part), (EXTERNAL, part)], memo=reason)
        ids.append(refund.id)
        left -= part
        if left == 0:
            break
    if left:
        raise ValueError(f"order {order_id}: {left} fen more refunded than was paid")
    return ids


def send_pending(limit: int = 100) -> int:
    """Ask providers to pay back queued refunds; returns how many they confirmed."""
    with transaction() as session:
        rows = session.execute(
            select(PaymentRefund.id, PaymentRefund.amount_fen, Payment.id, Payment.provider)
            .join(Payment, Payment.id == PaymentRefund.payment_id)
            .where(PaymentRefund.status == "pending").order_by(PaymentRefund.id).limit(limit)
        ).all()
    sent = 0
    for refund_id, amount_fen, payment_id, provider_name in rows:
        try:
            result = get_provider(provider_name).refund(payment_id=payment_id,
                                                        refund_id=refund_id,
                                                        amount_fen=amount_fen)
        except Exception:  # the provider is down: the worker tries again later
            log.exception("refund %s could not be sent", refund_id)
            continue
        if result.succeeded:
            with transaction() as session:
                sent += changed_rows(
                    session,
                    update(PaymentRefund)
                    .where(PaymentRefund.id == refund_id, PaymentRefund.status == "pending")
                    .values(status="succeeded", provider_ref=result.provider_ref))
    return sent
