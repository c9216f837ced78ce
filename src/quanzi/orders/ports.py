"""What orders needs from the domains above it: who brought an order, and its commissions.

Orders places, pays, refunds and settles; someone above it (referral) may credit a share
of the money to the people who brought the sale. :class:`Commissions` names every call
orders makes for that. Each is synchronous, takes the caller's session and only
flushes, so a commission always moves in the same transaction as the money it is a
share of.

Without anything plugged in, orders runs with :class:`NoCommissions` (nobody brought an
order, nothing is owed). ``quanzi.wiring.wire`` plugs referral's implementation
(``referral.order_hooks.ReferralCommissions``) in with :func:`use`; nothing is plugged at
import time::

    >>> use(NoCommissions())
    >>> commissions().settle(session, order_id=7)
    []
"""

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from quanzi.orders.events import OrderPaid

__all__ = ["Commissions", "NoCommissions", "commissions", "use"]


class Commissions(Protocol):
    """Attribution of new orders and the commission lifecycle, as orders calls them.

    Amounts are integer fen; ``(user id, fen)`` pairs name whose wallet gains or gives
    back how much. Each call is made inside the transaction that places the order or
    moves its money, and only flushes.
    """

    def attribute(self, session: Session, *, buyer_id: int, share_code: str | None,
                  visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
        """The attribution snapshot written on a new order, or None when nobody brought it."""
        ...

    def accrue(self, session: Session, paid: OrderPaid) -> None:
        """Pending commissions for a paid order (the ``order.paid`` event, before it is
        stored)."""
        ...

    def reverse(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                line_qty: int) -> None:
        """Before settlement: shrink the line's pending commissions for ``refunded_qty``
        more units."""
        ...

    def rebase(self, session: Session, *, order_id: int, line_id: int, old_line_fen: int,
               new_line_fen: int, line_qty: int) -> None:
        """Before settlement: the line's value was lowered; shrink its pending commissions."""
        ...

    def claw_back(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                  line_qty: int) -> list[tuple[int, int]]:
        """After settlement: (user id, fen) to take back from wallets for ``refunded_qty``
        units."""
        ...

    def settle(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        """(user id, fen) to credit to wallets in the order's settlement entry."""
        ...


class NoCommissions:
    """Nobody brings an order and nothing is owed: orders on its own, and a test fake."""

    def attribute(self, session: Session, *, buyer_id: int, share_code: str | None,
                  visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
        return None

    def accrue(self, session: Session, paid: OrderPaid) -> None:
        return None

    def reverse(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                line_qty: int) -> None:
        return None

    def rebase(self, session: Session, *, order_id: int, line_id: int, old_line_fen: int,
               new_line_fen: int, line_qty: int) -> None:
        return None

    def claw_back(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                  line_qty: int) -> list[tuple[int, int]]:
        return []

    def settle(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        return []


_commissions: Commissions = NoCommissions()


def use(new: Commissions) -> None:
    """Make ``new`` the commissions of every later call (replaces the one before)."""
    global _commissions
    _commissions = new


def commissions() -> Commissions:
    """The commissions plugged in by :func:`use` (:class:`NoCommissions` until then)."""
    return _commissions
