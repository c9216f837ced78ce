"""``quanzi ledger check``: the books against the orders and payments they stand for.

Put together here, above the domains, because the ledger knows neither orders nor
payments: the orders say what escrow should hold (what the payments of unsettled orders
left there), the payments whether an order has two open payments for one purpose, and
the ledger checks itself against that.
"""

from sqlalchemy.orm import Session

from quanzi.core.db import is_postgres, read_session
from quanzi.ledger import audit as ledger_audit
from quanzi.ledger.audit import Problem
from quanzi.orders import audit as orders_audit
from quanzi.payments import audit as payments_audit

__all__ = ["Problem", "check", "problems"]


def problems(session: Session) -> list[Problem]:
    """Every problem of the books, read in ``session`` (empty when all is right)."""
    found = ledger_audit.check(session,
                               escrow_held_fen=orders_audit.held_in_escrow_fen(session))
    return [*found, *payments_audit.open_payment_problems(session)]


def check() -> list[Problem]:
    """``problems`` of the configured database, read from one snapshot (on PostgreSQL a
    REPEATABLE READ transaction, so writes going on meanwhile cannot make a false alarm)."""
    with read_session() as session:
        if is_postgres(session):
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return problems(session)
