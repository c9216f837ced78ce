"""What the payments tell the ledger's check (``ledger.audit``), read-only.

Escrow holds, for every order not yet settled, what its successful payments brought in
less what was refunded from them: a late payment refunded nets to zero, a forfeited
presale deposit left escrow when its order was settled (``settle_forfeit``), and a refund
after settlement first brought the money back into escrow (``unsettle``). Which orders
are unsettled is the orders domain's to say (``orders.audit``): payments only sum.
"""

from collections.abc import Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from quanzi.ledger.audit import Problem
from quanzi.payments.models import Payment


def held_fen(session: Session, order_ids: Select[int]) -> int:
    """Σ over the orders ``order_ids`` selects of their succeeded payments'
    ``amount_fen − refunded_fen``: what those payments left in escrow."""
    held = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_fen - Payment.refunded_fen), 0))
        .where(Payment.status == "succeeded", Payment.order_id.in_(order_ids)))
    return int(held or 0)


def open_payment_problems(session: Session) -> Iterator[Problem]:
    """An order with more than one open (``created``) payment for one purpose."""
    rows = session.execute(
        select(Payment.order_id, Payment.purpose, func.count())
        .where(Payment.status == "created")
        .group_by(Payment.order_id, Payment.purpose).having(func.count() > 1)
        .order_by(Payment.order_id))
    for order_id, purpose, count in rows:
        yield Problem("open_payments", f"order {order_id} has {count} open {purpose} payments")
