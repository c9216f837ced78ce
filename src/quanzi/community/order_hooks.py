"""Community's part of orders' commissions (``orders.ports.Commissions``): the leader's.

:class:`LeaderCommissions` wraps the promoters' commissions (referral's adapter) and adds
one thing: when a batch order is paid, its pickup point's leader accrues ``leader``
commissions at the rate snapshotted on the order when it was placed. Everything after
(reversal by refunds, settlement into the leader's wallet after the return window from
pickup, clawback) is the same machinery as a promoter's, since the rows are the same
rows (``referral.models.Commission`` with ``kind="leader"``). ``quanzi.wiring.wire``
plugs it in.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.community.models import BatchOrder
from quanzi.orders.events import OrderPaid
from quanzi.orders.ports import Commissions
from quanzi.referral import commissions

__all__ = ["LeaderCommissions"]


class LeaderCommissions:
    """``inner``'s commissions, plus the leader's on community batch orders."""

    def __init__(self, inner: Commissions) -> None:
        self.inner = inner

    def attribute(self, session: Session, *, buyer_id: int, share_code: str | None,
                  visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
        return self.inner.attribute(session, buyer_id=buyer_id, share_code=share_code,
                                    visitor_id=visitor_id, now=now)

    def accrue(self, session: Session, paid: OrderPaid) -> None:
        self.inner.accrue(session, paid)
        if paid.kind != "batch":
            return
        snapshot = session.execute(select(BatchOrder.leader_id, BatchOrder.leader_rate_bps)
                                   .where(BatchOrder.order_id == paid.order_id)).first()
        if snapshot is not None:
            commissions.accrue_leader_commissions(session, paid, leader_id=snapshot[0],
                                                  rate_bp=snapshot[1])

    def reverse(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                line_qty: int) -> None:
        self.inner.reverse(session, order_id=order_id, line_id=line_id,
                           refunded_qty=refunded_qty, line_qty=line_qty)

    def rebase(self, session: Session, *, order_id: int, line_id: int, old_line_fen: int,
               new_line_fen: int, line_qty: int) -> None:
        self.inner.rebase(session, order_id=order_id, line_id=line_id,
                          old_line_fen=old_line_fen, new_line_fen=new_line_fen,
                          line_qty=line_qty)

    def claw_back(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                  line_qty: int) -> list[tuple[int, int]]:
        return self.inner.claw_back(session, order_id=order_id, line_id=line_id,
                                    refunded_qty=refunded_qty, line_qty=line_qty)

    def settle(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        return self.inner.settle(session, order_id)
