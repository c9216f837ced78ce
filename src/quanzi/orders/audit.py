"""What the orders tell the ledger's check (``quanzi.audit``), read-only.

Escrow holds what the payments of the orders not yet settled brought in, less what was
refunded from them (``payments.audit.held_fen``): the orders say which orders those are.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.orders.models import Order
from quanzi.payments import audit as payments_audit


def held_in_escrow_fen(session: Session) -> int:
    """Σ over unsettled orders of their succeeded payments' ``amount_fen − refunded_fen``."""
    unsettled = select(Order.id).where(Order.settled_at.is_(None))
    return payments_audit.held_fen(session, unsettled)
