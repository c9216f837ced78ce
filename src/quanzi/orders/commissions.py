"""The orders domain's calls into referral: attribute, accrue, reverse, claw back, settle.

Synchronous and inside the caller's transaction, so a commission always moves with the
money it is a share of.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from quanzi.referral import attribution as _attribution
from quanzi.referral import commissions as _commissions


def attribute(session: Session, *, buyer_id: int, share_code: str | None,
              visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
    """The attribution snapshot written on a new order, or None when nobody brought it."""
    return _attribution.attribute_order(session, buyer_id=buyer_id, share_code=share_code,
                                        visitor_id=visitor_id, now=now)


def accrue(session: Session, payload: dict[str, Any]) -> None:
    """Pending commissions for a paid, attributed order (``order.paid`` payload)."""
    _commissions.accrue_commissions(session, payload)


def reverse(session: Session, *, order_id: int, line_id: int, refunded_qty: int,
            line_qty: int) -> None:
    """Before settlement: shrink the line's pending commissions for ``refunded_qty`` more units."""
    _commissions.reverse_commissions(session, order_id, line_id, refunded_qty, line_qty)


def rebase(session: Session, *, order_id: int, line_id: int, old_line_fen: int,
           new_line_fen: int, line_qty: int) -> None:
    """Before settlement: the line's price was lowered; shrink its pending commissions."""
    _commissions.rebase_commissions(session, order_id, line_id, old_line_fen, new_line_fen,
                                    line_qty)


def claw_back(session: Session, *, order_id: int, line_id: int, refunded_qty: int,
              line_qty: int) -> list[tuple[int, int]]:
    """After settlement: (user id, fen) to take back from wallets for ``refunded_qty`` units."""
    return _commissions.clawback_commissions(session, order_id, line_id, refunded_qty, line_qty)


def settle(session: Session, order_id: int) -> list[tuple[int, int]]:
    """(beneficiary user id, amount_fen) to credit to wallets in the settlement entry."""
    return _commissions.settle_commissions(session, order_id)
