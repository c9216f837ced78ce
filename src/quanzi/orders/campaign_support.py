"""What campaigns may do to their orders, by order id: the door campaigns go through.

Campaigns (``campaigns.reactions``) follow the orders their buys created: a group that
fails refunds its members, a tiered deal that closes refunds the price difference, a
presale whose balance lapsed is cancelled. They never read or lock ``Order`` rows
themselves; they call these functions, which take the caller's session, lock what they
change (``FOR UPDATE`` on PostgreSQL) and only flush. A campaign sees an order as a
:class:`CampaignOrder`, a snapshot read with the row locked.

Example::

    for order in campaign_support.lock_orders(session, member_order_ids):
        if order.pending:
            campaign_support.cancel(session, order.id)
        else:
            campaign_support.refund_whole(session, order.id, reason="拼团未成团")
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from quanzi.orders import lifecycle, refunds
from quanzi.orders.domain import CANCELLED, DEPOSIT_PAID, PENDING
from quanzi.orders.models import Order
from quanzi.payments import refunds as payment_refunds

__all__ = ["CampaignOrder", "balance_overdue", "buyer_of", "cancel", "lapse_balance",
           "lock_campaign_orders", "lock_deposit_order", "lock_orders",
           "refund_price_difference", "refund_whole", "send_refunds", "unit_price_fen"]


@dataclass(frozen=True)
class CampaignOrder:
    """An order as a campaign sees it, read with its row locked."""

    id: int
    buyer_id: int
    status: str
    campaign_ref: str | None
    paid: bool  # its payment arrived at some point (``paid_at`` is set)

    @property
    def pending(self) -> bool:
        """Unpaid and cancellable."""
        return self.status == PENDING

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


def _view(order: Order) -> CampaignOrder:
    return CampaignOrder(id=order.id, buyer_id=order.buyer_id, status=order.status,
                         campaign_ref=order.campaign_ref, paid=order.paid_at is not None)


def buyer_of(session: Session, order_id: int) -> int:
    """The buyer of an order (it must exist)."""
    return session.get_one(Order, order_id).buyer_id


def unit_price_fen(session: Session, order_id: int) -> int:
    """The unit price paid on the order's first line (a campaign order has one line)."""
    return session.get_one(Order, order_id).lines[0].price_fen


def lock_orders(session: Session, order_ids: Iterable[int]) -> list[CampaignOrder]:
    """These orders, locked in id order (so two sweeps never deadlock)."""
    ids = list(order_ids)
    if not ids:
        return []
    return [_view(order) for order in session.scalars(
        select(Order).where(Order.id.in_(ids)).order_by(Order.id).with_for_update())]


def lock_campaign_orders(session: Session, campaign_ref: str) -> list[CampaignOrder]:
    """Every order of the campaign ``campaign_ref`` (e.g. ``tiered:7``), locked in id order."""
    return [_view(order) for order in session.scalars(
        select(Order).where(Order.campaign_ref == campaign_ref)
        .order_by(Order.id).with_for_update())]


def cancel(session: Session, order_id: int) -> None:
    """Cancel an unpaid order (409 if it is not): its stock or allotment goes back."""
    lifecycle.cancel_order(session, session.get_one(Order, order_id))


def release_hold(session: Session, campaign_ref: str) -> int:
    """The campaign's condition is met (a group formed): its held orders may ship now."""
    return lifecycle.release_hold(session, campaign_ref)


def refund_whole(session: Session, order_id: int, *, reason: str) -> None:
    """Refund everything not yet refunded, if anything is left (``refunds.refund_whole``)."""
    refunds.refund_whole(session, session.get_one(Order, order_id), reason=reason)


def refund_price_difference(session: Session, order_id: int, *, unit_refund_fen: int,
                            reason: str) -> None:
    """Give back ``unit_refund_fen`` per unit still held: ``refunds.refund_price_difference``."""
    refunds.refund_price_difference(session, session.get_one(Order, order_id),
                                    unit_refund_fen=unit_refund_fen, reason=reason)


def balance_overdue(now: datetime) -> Select[int]:
    """The ids of presale orders whose balance window closed unpaid, oldest first."""
    return (select(Order.id).where(Order.status == DEPOSIT_PAID, Order.pay_deadline <= now)
            .order_by(Order.id))


def lock_deposit_order(session: Session, order_id: int) -> CampaignOrder | None:
    """The order, locked, if it still waits for its balance; else None."""
    order = session.get_one(Order, order_id, with_for_update=True)
    return _view(order) if order.status == DEPOSIT_PAID else None


def lapse_balance(session: Session, order_id: int, *, forfeit: bool) -> None:
    """Cancel an order whose balance was not paid: the deposit kept (``forfeit``) or
    refunded (``lifecycle.lapse_balance``)."""
    lifecycle.lapse_balance(session, session.get_one(Order, order_id), forfeit=forfeit)


def send_refunds() -> int:
    """Ask the provider for the refunds recorded (after commit: network I/O)."""
    return payment_refunds.send_pending()
