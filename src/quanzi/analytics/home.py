"""The operator's home: what waits for a decision, and who and what sold best lately.

``todos`` counts the queues behind the console's lists (promoters applied, the shipping
queue, refunds requested, withdrawals and payouts requested); ``top_promoters`` and
``top_products`` rank the last ``days`` Shanghai days by paid GMV net of refunds.
Reads only; each is one aggregate statement over indexed columns.

Example: ``todos(session)`` → ``Todos(promoters=2, to_ship=5, refunds=1, withdrawals=0)``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from quanzi.accounts.models import User
from quanzi.analytics.days import day_start, shanghai_day
from quanzi.ledger.models import Payout
from quanzi.orders.models import Order, OrderLine, Refund
from quanzi.referral.models import Commission, Promoter

__all__ = ["Ranked", "Todos", "todos", "top_products", "top_promoters"]


@dataclass(frozen=True)
class Todos:
    promoters: int  # applications to review
    to_ship: int  # paid orders on no hold (the supplier's shipping queue, every supplier)
    refunds: int  # refund requests waiting for the seller's decision
    withdrawals: int  # withdrawals and supplier payouts to approve


@dataclass(frozen=True)
class Ranked:
    id: int
    name: str
    orders: int
    gmv_fen: int  # net of refunds


def _count(session: Session, stmt: Select[int]) -> int:
    return int(session.scalar(stmt) or 0)


def todos(session: Session) -> Todos:
    return Todos(
        promoters=_count(session, select(func.count(Promoter.id))
                         .where(Promoter.status == "applied")),
        to_ship=_count(session, select(func.count(Order.id))
                       .where(Order.status == "paid", Order.hold.is_(None))),
        refunds=_count(session, select(func.count(Refund.id)).where(Refund.status == "requested")),
        withdrawals=_count(session, select(func.count(Payout.id))
                           .where(Payout.status == "requested")))


def _since(now: datetime, days: int) -> datetime:
    return day_start(shanghai_day(now) - timedelta(days=max(days, 1) - 1))


def top_promoters(session: Session, now: datetime, *, days: int = 7,
                  limit: int = 5) -> list[Ranked]:
    """Promoters by the net amount of the lines their own shares sold (level 1)."""
    gmv = func.sum(OrderLine.price_fen * OrderLine.quantity - OrderLine.refunded_fen)
    rows = session.execute(
        select(User.id, User.name, func.count(func.distinct(Commission.order_id)), gmv)
        .join(OrderLine, OrderLine.id == Commission.order_line_id)
        .join(User, User.id == Commission.beneficiary_id)
        .where(Commission.level == 1, Commission.created_at >= _since(now, days))
        .group_by(User.id, User.name).order_by(gmv.desc(), User.id).limit(limit)).all()
    return [Ranked(i, name, int(n), int(fen or 0)) for i, name, n, fen in rows]


def top_products(session: Session, now: datetime, *, days: int = 7,
                 limit: int = 5) -> list[Ranked]:
    """Products by the net amount of their lines in orders paid in the window."""
    gmv = func.sum(OrderLine.price_fen * OrderLine.quantity - OrderLine.refunded_fen)
    rows = session.execute(
        select(OrderLine.product_id, func.max(OrderLine.title),
               func.count(func.distinct(OrderLine.order_id)), gmv)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.paid_at >= _since(now, days))
        .group_by(OrderLine.product_id).order_by(gmv.desc(), OrderLine.product_id)
        .limit(limit)).all()
    return [Ranked(i, title, int(n), int(fen or 0)) for i, title, n, fen in rows]
