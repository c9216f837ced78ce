"""How campaigns follow their orders (outbox handlers), and the group expiry sweep.

- a flash-sale order paid → its reservation is kept; cancelled unpaid → units back on sale;
- a group-buy order paid → the seat is paid (the N-th payment makes the group succeed);
  cancelled unpaid → the seat is free again; paid after its group failed or after its
  seat was released → refunded in full;
- a group that expires short of its size fails (or, with 模拟成团 on, succeeds): every
  paid member is refunded through the ledger and every unpaid order cancelled. The
  failure is claimed by a conditional update, so two sweeps refund each member once.

Orders are reached only through ``orders.campaign_support`` (by id: cancel, refund,
lapse, lock), never through orders' tables.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.campaigns import domain, quota
from quanzi.campaigns.events import GroupFailed, GroupSucceeded, TieredClosed
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.models import (
    Group,
    GroupBuy,
    GroupMember,
    Presale,
    TieredDeal,
    TieredParticipant,
)
from quanzi.campaigns.tiered.deals import tiers_of
from quanzi.core import clock, events
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import InvalidInput
from quanzi.core.money import format_fen
from quanzi.core.sweeps import sweep
from quanzi.orders import campaign_support as orders
from quanzi.orders.events import OrderCancelled, OrderPaid

BATCH = 100


def _ref_id(campaign_ref: str | None, prefix: str) -> int | None:
    head, _, ident = (campaign_ref or "").partition(":")
    return int(ident) if head == prefix and ident.isdigit() else None


def on_order_paid(session: Session, paid: OrderPaid) -> None:
    if paid.kind == "flash_sale":
        flash_sales.mark_reservation_paid(session, paid.order_id)
    group_id = _ref_id(paid.campaign_ref, "group")
    if group_id is None:
        return
    group = session.get_one(Group, group_id)
    try:
        if group.status == "failed":
            raise InvalidInput("group already failed")
        group_buys.mark_seat_paid(session, group_id, orders.buyer_of(session, paid.order_id),
                                  clock.now())
    except InvalidInput:
        orders.refund_whole(session, paid.order_id,
                            reason="拼团已结束，款项原路退回 (the group closed)")


def on_order_cancelled(session: Session, cancelled: OrderCancelled) -> None:
    if cancelled.kind == "flash_sale":
        flash_sales.release_order_reservations(session, cancelled.order_id)
    deal_id = _ref_id(cancelled.campaign_ref, "tiered")
    if deal_id is not None:
        _leave_deal(session, deal_id, cancelled.order_id)
    group_id = _ref_id(cancelled.campaign_ref, "group")
    if group_id is not None:
        group_buys.release_seat(session, group_id, orders.buyer_of(session, cancelled.order_id))


def close_expired_groups(now: datetime | None = None) -> int:
    """Close groups whose time ran out; returns how many this call closed."""
    now = now or clock.now()
    closed = sweep(select(Group.id).where(Group.status == "open", Group.expires_at <= now)
                   .order_by(Group.id), lambda group_id: _close(group_id, now), limit=BATCH)
    orders.send_refunds()
    return closed


def _close(group_id: int, now: datetime) -> bool:
    with transaction() as session:
        group = session.get_one(Group, group_id)
        auto = session.scalar(select(GroupBuy.auto_complete)
                              .where(GroupBuy.id == group.group_buy_id))
        outcome = "succeeded" if auto and group.paid_count > 0 else "failed"
        claimed = changed_rows(
            session,
            update(Group).where(Group.id == group_id, Group.status == "open")
            .values(status=outcome, closed_at=now)
            .execution_options(synchronize_session=False))
        if not claimed:
            return False
        if outcome == "succeeded":
            group_buys.release_orders(session, group_id)
        for order in _member_orders(session, group_id):
            if order.pending:
                orders.cancel(session, order.id)
            elif outcome == "failed":
                orders.refund_whole(session, order.id,
                                    reason="拼团未成团，自动退款 (the group did not fill)")
        closed = GroupSucceeded if outcome == "succeeded" else GroupFailed
        events.emit(session, closed(group_id=group_id))
        return True


def _member_orders(session: Session, group_id: int) -> list[orders.CampaignOrder]:
    order_ids = session.scalars(select(GroupMember.order_id).where(
        GroupMember.group_id == group_id, GroupMember.order_id.is_not(None))).all()
    return orders.lock_orders(session, [i for i in order_ids if i is not None])


def _leave_deal(session: Session, deal_id: int, order_id: int) -> None:
    """An unpaid place in a tiered deal is given up: one participant fewer."""
    left = session.execute(
        update(TieredParticipant)
        .where(TieredParticipant.order_id == order_id, TieredParticipant.status == "reserved")
        .values(status="released").returning(TieredParticipant.user_id)).scalar_one_or_none()
    if left is None:
        return
    session.execute(update(TieredDeal)
                    .where(TieredDeal.id == deal_id, TieredDeal.status == "open",
                           TieredDeal.participants > 0)
                    .values(participants=TieredDeal.participants - 1))
    quota.give_back(session, "tiered", deal_id, left, 1)


def close_tiered_deals(now: datetime | None = None) -> int:
    """Close deals past their end: everyone pays the final tier, the difference goes back.

    Unpaid places are cancelled first, so the final tier counts paid buyers only. Claimed
    by a conditional update: two sweeps close (and refund) each deal once.
    """
    now = now or clock.now()
    closed = sweep(select(TieredDeal.id).where(TieredDeal.status == "open",
                                               TieredDeal.ends_at <= now)
                   .order_by(TieredDeal.id), lambda deal_id: _close_deal(deal_id, now),
                   limit=BATCH)
    orders.send_refunds()
    return closed


def _close_deal(deal_id: int, now: datetime) -> bool:
    with transaction() as session:
        if not changed_rows(session, update(TieredDeal)
                                     .where(TieredDeal.id == deal_id, TieredDeal.status == "open")
                                     .values(status="closing", closed_at=now)):
            return False
        held = orders.lock_campaign_orders(session, f"tiered:{deal_id}")
        for order in held:
            if order.pending:
                orders.cancel(session, order.id)
        paid = [o for o in held if not o.pending and not o.cancelled and o.paid]
        deal = session.get_one(TieredDeal, deal_id, populate_existing=True)
        final = domain.current_tier_price(tiers_of(deal), len(paid))
        for order in paid:
            paid_unit = orders.unit_price_fen(session, order.id)
            if paid_unit > final:
                orders.refund_price_difference(
                    session, order.id, unit_refund_fen=paid_unit - final,
                    reason=f"阶梯团成团价 {format_fen(final)}，差价退回")
        session.execute(update(TieredDeal).where(TieredDeal.id == deal_id)
                        .values(status="closed", final_price_fen=final, participants=len(paid)))
        events.emit(session, TieredClosed(deal_id=deal_id, final_price_fen=final))
        return True


def lapse_unpaid_balances(now: datetime | None = None) -> int:
    """Presale orders whose balance window closed unpaid: cancelled, and the deposit kept
    or refunded by the presale's rule. Each order claimed once by its state move."""
    now = now or clock.now()
    done = sweep(orders.balance_overdue(now), _lapse, limit=BATCH)
    orders.send_refunds()
    return done


def _lapse(order_id: int) -> bool:
    with transaction() as session:
        order = orders.lock_deposit_order(session, order_id)
        if order is None:
            return False
        presale_id = _ref_id(order.campaign_ref, "presale")
        rule = session.scalar(select(Presale.unpaid_balance_rule)
                              .where(Presale.id == presale_id))
        orders.lapse_balance(session, order_id, forfeit=rule != "refund_deposit")
        return True


def subscribe() -> None:
    events.subscribe(OrderPaid, on_order_paid)
    events.subscribe(OrderCancelled, on_order_cancelled)
