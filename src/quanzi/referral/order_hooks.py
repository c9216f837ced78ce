"""Referral as the orders domain's commissions (``orders.ports.Commissions``).

``quanzi.wiring.wire`` plugs :class:`ReferralCommissions` into orders: attribution of a
new order (``referral.attribution``) and the commission lifecycle — accrue on payment,
reverse or rebase before settlement, claw back after, credit at settlement
(``referral.commissions``). Every call runs in the orders' transaction and only flushes.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from quanzi.orders.events import OrderPaid
from quanzi.referral import attribution, commissions

__all__ = ["ReferralCommissions"]


class ReferralCommissions:
    """Shares and promoters bring orders; their commissions follow the order's money."""

    def attribute(self, session: Session, *, buyer_id: int, share_code: str | None,
                  visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
        return attribution.attribute_order(session, buyer_id=buyer_id, share_code=share_code,
                                           visitor_id=visitor_id, now=now)

    def accrue(self, session: Session, paid: OrderPaid) -> None:
        commissions.accrue_commissions(session, paid)

    def reverse(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                line_qty: int) -> None:
        commissions.reverse_commissions(session, order_id, line_id, refunded_qty, line_qty)

    def rebase(self, session: Session, *, order_id: int, line_id: int, old_line_fen: int,
               new_line_fen: int, line_qty: int) -> None:
        commissions.rebase_commissions(session, order_id, line_id, old_line_fen,
                                       new_line_fen, line_qty)

    def claw_back(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                  line_qty: int) -> list[tuple[int, int]]:
        return commissions.clawback_commissions(session, order_id, line_id, refunded_qty,
                                                line_qty)

    def settle(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        return commissions.settle_commissions(session, order_id)
