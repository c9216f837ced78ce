"""Group buys (拼团): configuration, reads, and seats in groups.

Opening and joining create an order on the orders side; here are the pieces that call
needs, each taking the caller's session and only flushing:

* ``open_group(session, group_buy_id, user_id, now)`` → a new group with its leader seated;
* ``reserve_seat(session, group_id, user_id, now)`` → a seat, or 409 with the rule's code;
* ``attach_order`` / ``mark_seat_paid`` / ``release_seat`` as the order moves on.

A group never holds more than ``group_size`` seats: the seat is taken by
``UPDATE groups SET member_count = member_count + 1 WHERE member_count < group_size``.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.campaigns import domain, quota
from quanzi.campaigns.common import Staff, authorise_sku, refuse
from quanzi.campaigns.models import Group, GroupBuy, GroupMember
from quanzi.campaigns.schemas import GroupBuyCreate, GroupBuyRead, GroupRead
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import InvalidInput, NotFound
from quanzi.orders import campaign_support

QUOTA_KIND = "group"


def create_group_buy(*, by: Staff, data: GroupBuyCreate) -> GroupBuyRead:
    """Create a group buy on a SKU ``by`` may sell; it starts now unless ``starts_at`` says."""
    now = clock.now()
    starts_at = data.starts_at or now
    domain.check_window(starts_at, data.ends_at)
    domain.check_group_buy(data.group_size, data.duration_s, data.per_user_limit,
                           data.max_groups)
    domain.check_amounts(get_settings().max_order_fen, price_fen=data.price_fen)
    with transaction() as session:
        authorise_sku(session, by, data.sku_id, top_price_fen=data.price_fen)
        group_buy = GroupBuy(sku_id=data.sku_id, price_fen=data.price_fen,
                             group_size=data.group_size, duration_s=data.duration_s,
                             per_user_limit=data.per_user_limit, max_groups=data.max_groups,
                             groups_opened=0, auto_complete=data.auto_complete,
                             starts_at=starts_at, ends_at=data.ends_at, created_by=by.id,
                             created_at=now)
        session.add(group_buy)
        session.flush()
        return group_buy_read(group_buy, now)


def get_group_buy(session: Session, group_buy_id: int) -> GroupBuyRead:
    group_buy = _group_buy(session, group_buy_id)
    opened = int(session.scalar(select(func.count(Group.id))
                                .where(Group.group_buy_id == group_buy_id)) or 0)
    return group_buy_read(group_buy, clock.now(), groups_opened=opened)


def group_buy_read(group_buy: GroupBuy, now: datetime, groups_opened: int = 0) -> GroupBuyRead:
    status = domain.window_refusal(group_buy.starts_at, group_buy.ends_at, now) or "active"
    return GroupBuyRead(
        id=group_buy.id, sku_id=group_buy.sku_id, price_fen=group_buy.price_fen,
        group_size=group_buy.group_size, duration_s=group_buy.duration_s,
        per_user_limit=group_buy.per_user_limit, max_groups=group_buy.max_groups,
        groups_opened=groups_opened, auto_complete=group_buy.auto_complete,
        starts_at=group_buy.starts_at, ends_at=group_buy.ends_at,
        status=status)


def get_group(session: Session, group_id: int) -> GroupRead:
    group = _group(session, group_id)
    group_buy = _group_buy(session, group.group_buy_id)
    now = clock.now()
    joinable = (group.status == "open" and now < group.expires_at
                and group.member_count < group.group_size
                and domain.window_refusal(group_buy.starts_at, group_buy.ends_at, now) is None)
    return GroupRead(id=group.id, group_buy_id=group.group_buy_id,
                     status=group.status,  # type: ignore[arg-type]
                     group_size=group.group_size, members=group.member_count,
                     paid_members=group.paid_count,
                     seats_left=group.group_size - group.member_count,
                     price_fen=group_buy.price_fen, auto_complete=group_buy.auto_complete,
                     expires_at=group.expires_at, joinable=joinable)


def _group_buy(session: Session, group_buy_id: int) -> GroupBuy:
    group_buy = session.get(GroupBuy, group_buy_id)
    if group_buy is None:
        raise NotFound("no such group buy")
    return group_buy


def _group(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound("no such group")
    return group


# --- seats (called inside the orders side's transaction) ----------------------------


def open_group(session: Session, group_buy_id: int, user_id: int, now: datetime) -> Group:
    """Open a group with ``user_id`` as its leader, seated (flushes).

    409 ``not_started``/``ended`` outside the window, ``sold_out`` when ``max_groups``
    groups exist, ``limit_reached`` past the per-user limit.
    """
    group_buy = _group_buy(session, group_buy_id)
    refusal = domain.window_refusal(group_buy.starts_at, group_buy.ends_at, now)
    if refusal:
        raise refuse(refusal)
    if not _count_group(session, group_buy):
        raise refuse("sold_out")
    group = Group(group_buy_id=group_buy.id, leader_id=user_id, status="open",
                  group_size=group_buy.group_size, member_count=0, paid_count=0,
                  created_at=now, expires_at=now + timedelta(seconds=group_buy.duration_s))
    session.add(group)
    session.flush()
    _take_seat(session, group, group_buy, user_id, now, is_leader=True)
    return group


def _count_group(session: Session, group_buy: GroupBuy) -> bool:
    """Count the group against ``max_groups``; uncapped group buys skip the hot row."""
    if group_buy.max_groups is None:
        return True
    return changed_rows(session, update(GroupBuy)
                                 .where(GroupBuy.id == group_buy.id,
                                        GroupBuy.groups_opened < group_buy.max_groups)
                                 .values(groups_opened=GroupBuy.groups_opened + 1)
                                 .execution_options(synchronize_session=False)) == 1


def reserve_seat(session: Session, group_id: int, user_id: int, now: datetime) -> GroupMember:
    """Seat ``user_id`` in an open group (flushes), or raise the rule's 409.

    Codes: ``not_started``, ``ended`` (campaign or group over), ``group_full``,
    ``already_joined``, ``limit_reached``. Concurrent joiners beyond the size get
    ``group_full``: the seat count moves only by conditional update.
    """
    group = _group(session, group_id)
    group_buy = _group_buy(session, group.group_buy_id)
    ctx = domain.JoinContext(
        starts_at=group_buy.starts_at, ends_at=group_buy.ends_at, group_status=group.status,
        group_expires_at=group.expires_at, member_count=group.member_count,
        group_size=group.group_size, already_member=_member(session, group_id, user_id),
        user_seats=quota.used(session, QUOTA_KIND, group_buy.id, user_id),
        per_user_limit=group_buy.per_user_limit)
    refusal = domain.join_refusal(ctx, now)
    if refusal:
        raise refuse(refusal)
    return _take_seat(session, group, group_buy, user_id, now, is_leader=False)


def _member(session: Session, group_id: int, user_id: int) -> bool:
    return session.scalar(select(GroupMember.id).where(
        GroupMember.group_id == group_id, GroupMember.user_id == user_id,
        GroupMember.status.in_(("reserved", "paid")))) is not None


def _take_seat(session: Session, group: Group, group_buy: GroupBuy, user_id: int,
               now: datetime, *, is_leader: bool) -> GroupMember:
    if not quota.take(session, QUOTA_KIND, group_buy.id, user_id, 1, group_buy.per_user_limit):
        raise refuse("limit_reached")
    seated = changed_rows(
        session,
        update(Group)
        .where(Group.id == group.id, Group.status == "open", Group.expires_at > now,
               Group.member_count < Group.group_size)
        .values(member_count=Group.member_count + 1)
        .execution_options(synchronize_session=False)
    )
    if seated != 1:
        raise refuse("group_full")
    return _add_member(session, group.id, user_id, now, is_leader)


def _add_member(session: Session, group_id: int, user_id: int, now: datetime,
                is_leader: bool) -> GroupMember:
    revived = changed_rows(
        session,
        update(GroupMember)
        .where(GroupMember.group_id == group_id, GroupMember.user_id == user_id,
               GroupMember.status == "released")
        .values(status="reserved", order_id=None, created_at=now)
        .execution_options(synchronize_session=False)
    )
    if not revived:
        try:
            with session.begin_nested():
                session.add(GroupMember(group_id=group_id, user_id=user_id, status="reserved",
                                        is_leader=is_leader, created_at=now))
        except IntegrityError as exc:
            raise refuse("already_joined") from exc
    return session.scalars(select(GroupMember).where(
        GroupMember.group_id == group_id, GroupMember.user_id == user_id)).one()


def attach_order(session: Session, group_id: int, user_id: int, order_id: int) -> None:
    """Link a reserved seat to the order that pays for it."""
    session.execute(update(GroupMember)
                    .where(GroupMember.group_id == group_id, GroupMember.user_id == user_id,
                           GroupMember.status == "reserved")
                    .values(order_id=order_id).execution_options(synchronize_session=False))


def mark_seat_paid(session: Session, group_id: int, user_id: int, now: datetime) -> bool:
    """``reserved`` → ``paid`` and count it; True when this payment completed the group.

    A completed group becomes ``succeeded`` (exactly once: conditional on ``open``) and its
    orders' hold is lifted, so they may ship. Raises ``InvalidInput`` if the seat was not
    reserved.
    """
    paid = changed_rows(session, update(GroupMember)
                                 .where(GroupMember.group_id == group_id,
                                        GroupMember.user_id == user_id,
                                        GroupMember.status == "reserved")
                                 .values(status="paid")
                                 .execution_options(synchronize_session=False))
    if paid != 1:
        raise InvalidInput("no reserved seat for this user in this group")
    session.execute(update(Group).where(Group.id == group_id)
                    .values(paid_count=Group.paid_count + 1)
                    .execution_options(synchronize_session=False))
    succeeded = changed_rows(
        session,
        update(Group).where(Group.id == group_id, Group.status == "open",
                            Group.paid_count >= Group.group_size)
        .values(status="succeeded", closed_at=now).execution_options(synchronize_session=False)
    ) == 1
    if succeeded:
        release_orders(session, group_id)
    return succeeded


def release_orders(session: Session, group_id: int) -> None:
    """The group succeeded: its orders may ship (``orders.campaign_support.release_hold``)."""
    campaign_support.release_hold(session, f"group:{group_id}")


def release_seat(session: Session, group_id: int, user_id: int) -> bool:
    """Give an unpaid seat back (payment timeout, cancel); False if it was not reserved."""
    released = changed_rows(session, update(GroupMember)
                                     .where(GroupMember.group_id == group_id,
                                            GroupMember.user_id == user_id,
                                            GroupMember.status == "reserved")
                                     .values(status="released")
                                     .execution_options(synchronize_session=False))
    if released != 1:
        return False
    session.execute(update(Group).where(Group.id == group_id, Group.member_count > 0)
                    .values(member_count=Group.member_count - 1)
                    .execution_options(synchronize_session=False))
    group_buy_id = session.scalar(select(Group.group_buy_id).where(Group.id == group_id))
    if group_buy_id is not None:
        quota.give_back(session, QUOTA_KIND, group_buy_id, user_id, 1)
    return True
