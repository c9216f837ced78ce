"""Reads the campaign pages need beyond each kind's ``get_*``: the goods on sale, the
members of a group, the groups open to join, a buyer's standing in a campaign.

Every function takes a session and changes nothing; users are given by id (their names
belong to accounts), goods through the catalog's read side.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quanzi.campaigns.bargain.runs import bargain_read
from quanzi.campaigns.group_buy.groups import get_group
from quanzi.campaigns.models import (
    Bargain,
    BargainHelp,
    BargainRun,
    FlashReservation,
    Group,
    GroupMember,
    TieredParticipant,
)
from quanzi.campaigns.schemas import BargainRead, GroupRead
from quanzi.catalog import queries as catalog
from quanzi.catalog.stock import skus_for_sale
from quanzi.core.errors import NotFound

__all__ = ["Goods", "Help", "Member", "bargain_helps", "flash_units_held", "get_bargain",
           "goods_of", "group_members", "help_of", "in_tiered_deal", "live_run_of",
           "open_groups"]

HELD = ("reserved", "paid")  # seats and reservations that count


@dataclass(frozen=True)
class Goods:
    """What a campaign sells: its SKU, the product's title and picture, the list price."""

    sku_id: int
    product_id: int
    title: str
    spec: str
    list_price_fen: int
    image: str | None
    on_shelf: bool


def goods_of(session: Session, sku_id: int) -> Goods:
    """The goods of a campaign's SKU (404 if the SKU is gone)."""
    sku = skus_for_sale(session, [sku_id]).get(sku_id)
    if sku is None:
        raise NotFound("商品不存在或已下架。")
    image = None
    if sku.on_shelf:
        images = catalog.get_product(session, sku.product_id).images
        image = images[0] if images else None
    return Goods(sku.sku_id, sku.product_id, sku.title, sku.spec, sku.price_fen, image,
                 sku.on_shelf)


@dataclass(frozen=True)
class Member:
    user_id: int
    is_leader: bool
    paid: bool
    order_id: int | None


def group_members(session: Session, group_id: int) -> list[Member]:
    """The group's seated members (reserved or paid), the leader first, then by arrival."""
    rows = session.execute(
        select(GroupMember.user_id, GroupMember.is_leader, GroupMember.status,
               GroupMember.order_id)
        .where(GroupMember.group_id == group_id, GroupMember.status.in_(HELD))
        .order_by(GroupMember.is_leader.desc(), GroupMember.created_at, GroupMember.id)
    ).all()
    return [Member(user_id, bool(leader), status == "paid", order_id)
            for user_id, leader, status, order_id in rows]


def open_groups(session: Session, group_buy_id: int, now: datetime,
                limit: int = 10) -> list[GroupRead]:
    """Groups of the group buy one may still join: open, not expired, not full; the
    nearest to complete first."""
    ids = session.scalars(
        select(Group.id)
        .where(Group.group_buy_id == group_buy_id, Group.status == "open",
               Group.expires_at > now, Group.member_count < Group.group_size)
        .order_by((Group.group_size - Group.member_count), Group.expires_at, Group.id)
        .limit(limit)
    ).all()
    return [get_group(session, group_id) for group_id in ids]


def flash_units_held(session: Session, sale_id: int, user_id: int) -> int:
    """Units of the sale the user holds (reserved or paid), against the per-user limit."""
    held = session.scalar(
        select(func.coalesce(func.sum(FlashReservation.quantity), 0))
        .where(FlashReservation.sale_id == sale_id, FlashReservation.user_id == user_id,
               FlashReservation.status.in_(HELD)))
    return int(held or 0)


def get_bargain(session: Session, bargain_id: int) -> BargainRead:
    """The bargain's configuration (404 if unknown)."""
    bargain = session.get(Bargain, bargain_id)
    if bargain is None:
        raise NotFound("no such bargain")
    return bargain_read(bargain)


def live_run_of(session: Session, bargain_id: int, user_id: int, now: datetime) -> int | None:
    """The id of the user's run of this bargain still going (active or at the floor)."""
    return session.scalar(
        select(BargainRun.id)
        .where(BargainRun.bargain_id == bargain_id, BargainRun.owner_id == user_id,
               BargainRun.status.in_(("active", "floor_reached")), BargainRun.expires_at > now)
        .order_by(BargainRun.id.desc()).limit(1))


@dataclass(frozen=True)
class Help:
    helper_id: int
    cut_fen: int
    at: datetime


def bargain_helps(session: Session, run_id: int, limit: int = 50) -> list[Help]:
    """The run's helps in the order they were applied (the first ``limit``)."""
    rows = session.execute(
        select(BargainHelp.helper_id, BargainHelp.cut_fen, BargainHelp.created_at)
        .where(BargainHelp.run_id == run_id).order_by(BargainHelp.seq).limit(limit)
    ).all()
    return [Help(helper_id, cut, at) for helper_id, cut, at in rows]


def starter_cut(session: Session, run_id: int) -> int:
    """What the run's starter cut themselves when it started (``domain.plan_run``): the
    price cut so far less every friend's cut; 0 for a run with no starter's cut."""
    run = session.get_one(BargainRun, run_id)
    helped = session.scalar(select(func.coalesce(func.sum(BargainHelp.cut_fen), 0))
                            .where(BargainHelp.run_id == run_id))
    return run.start_price_fen - run.current_price_fen - int(helped or 0)


def help_of(session: Session, run_id: int, user_id: int) -> int | None:
    """The cut (fen) the user's help made on the run, or None if they have not helped."""
    return session.scalar(select(BargainHelp.cut_fen).where(
        BargainHelp.run_id == run_id, BargainHelp.helper_id == user_id))


def in_tiered_deal(session: Session, deal_id: int, user_id: int) -> bool:
    """Whether the user holds a place in the deal (joined and not left)."""
    return session.scalar(select(TieredParticipant.id).where(
        TieredParticipant.deal_id == deal_id, TieredParticipant.user_id == user_id,
        TieredParticipant.status != "released").limit(1)) is not None
