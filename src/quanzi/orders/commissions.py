"""The orders domain's calls into referral: accrue, reverse and settle commissions.

Kept in one place so orders work unchanged whether or not referral is installed.
"""

from typing import Any

from sqlalchemy.orm import Session

try:
    from quanzi.referral import services as _referral
except ImportError:  # pragma: no cover - referral ships with quanzi
    _referral = None  # type: ignore[assignment]


def accrue(session: Session, payload: dict[str, Any]) -> None:
    if _referral is not None and payload.get("attribution") and hasattr(_referral, "accrue_commissions"):
        _referral.accrue_commissions(session, payload)


def reverse(session: Session, *, order_id: int, line_id: int, refunded_qty: int,
            line_qty: int) -> None:
    if _referral is not None and hasattr(_referral, "reverse_commissions"):
        _referral.reverse_commissions(session, order_id, line_id, refunded_qty, line_qty)


def settle(session: Session, order_id: int) -> list[tuple[int, int]]:
    """(beneficiary user id, amount_fen) to credit to wallets in the settlement entry."""
    if _referral is None or not hasattr(_referral, "settle_commissions"):  # TEMP until referral lands
        return []
    return list(_referral.settle_commissions(session, order_id))
