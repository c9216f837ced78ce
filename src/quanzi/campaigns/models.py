"""Tables of the campaigns domain: flash sales, group buys, bargains, tiered deals, presales.

Counters (``sold``, ``member_count``, ``helps_done``...) only move by conditional UPDATE.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quanzi.core.db import Base, UTCDateTime


class FlashSale(Base):
    """秒杀: a window, its own stock allotment and a per-user limit.

    ``sold`` counts units held by live reservations (reserved or paid) when the database
    keeps the counter; with Redis, Redis keeps it and ``reconcile`` writes it back here.
    """

    __tablename__ = "flash_sales"
    __table_args__ = (
        CheckConstraint("stock > 0", name="stock_positive"),
        CheckConstraint("sold >= 0 AND sold <= stock", name="sold_range"),
        CheckConstraint("price_fen >= 0", name="price_nonnegative"),
        CheckConstraint("per_user_limit >= 1", name="limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(BigInteger)
    sold: Mapped[int] = mapped_column(BigInteger, default=0)
    per_user_limit: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CampaignQuota(Base):
    """How much of a per-user allowance one user has used (one row per key).

    ``kind`` names the allowance (``flash``: units of a flash sale; ``group``: seats in
    a group buy's groups; ``bargain_help``: helps given on a bargain in one China day,
    ``period`` = ``YYYY-MM-DD``). ``used`` only moves by conditional update.
    """

    __tablename__ = "campaign_quotas"
    __table_args__ = (CheckConstraint("used >= 0", name="used_nonnegative"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True, default="")
    used: Mapped[int] = mapped_column(Integer, default=0)


class FlashReservation(Base):
    """Units of a flash sale held for one buyer: ``reserved`` → ``paid`` | ``released``."""

    __tablename__ = "flash_reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_flash_reservations_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("flash_sales.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupBuy(Base):
    """拼团 configuration. ``auto_complete`` (模拟成团) is off unless the operator turns it on."""

    __tablename__ = "group_buys"
    __table_args__ = (
        CheckConstraint("group_size >= 2 AND group_size <= 100", name="group_size_range"),
        CheckConstraint("duration_s > 0", name="duration_positive"),
        CheckConstraint("per_user_limit >= 1", name="limit_positive"),
        CheckConstraint("price_fen >= 0", name="price_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    group_size: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    per_user_limit: Mapped[int] = mapped_column(Integer)
    max_groups: Mapped[int | None] = mapped_column(Integer)
    groups_opened: Mapped[int] = mapped_column(Integer, default=0)  # counted when capped
    auto_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Group(Base):
    """One group of a group buy: ``open`` → ``succeeded`` | ``failed``.

    ``member_count`` counts seats taken (reserved or paid); it never exceeds the size.
    """

    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("member_count >= 0 AND member_count <= group_size",
                        name="member_count_range"),
        CheckConstraint("paid_count >= 0 AND paid_count <= member_count", name="paid_range"),
        Index("ix_groups_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_buy_id: Mapped[int] = mapped_column(ForeignKey("group_buys.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="open")
    group_size: Mapped[int] = mapped_column(Integer)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    paid_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GroupMember(Base):
    """A seat in a group: ``reserved`` → ``paid`` → ``refunded``, or ``released``."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Bargain(Base):
    """砍价 configuration. ``helps_min``..``helps_max`` helps are drawn at each start."""

    __tablename__ = "bargains"
    __table_args__ = (
        CheckConstraint("floor_price_fen >= 0 AND floor_price_fen < start_price_fen",
                        name="price_order"),
        CheckConstraint("helps_min >= 1 AND helps_min <= helps_max", name="helps_range"),
        CheckConstraint("duration_s > 0", name="duration_positive"),
        CheckConstraint("helps_per_user_per_day >= 1", name="daily_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    start_price_fen: Mapped[int] = mapped_column(BigInteger)
    floor_price_fen: Mapped[int] = mapped_column(BigInteger)
    helps_min: Mapped[int] = mapped_column(Integer)
    helps_max: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    helps_per_user_per_day: Mapped[int] = mapped_column(Integer, default=3)
    allow_in_wechat: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BargainRun(Base):
    """One owner's bargain: ``active`` → ``floor_reached`` → ``bought``, or ``expired``.

    ``cuts_fen`` is the whole sequence fixed at start; ``commitment`` is its SHA-256 with
    ``salt`` (see ``domain.commitment``). ``salt`` and ``cuts_fen`` are revealed once ended.
    """

    __tablename__ = "bargain_runs"
    __table_args__ = (
        CheckConstraint("helps_done >= 0 AND helps_done <= helps_total", name="helps_range"),
        CheckConstraint("current_price_fen >= 0", name="price_nonnegative"),
        Index("ix_bargain_runs_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bargain_id: Mapped[int] = mapped_column(ForeignKey("bargains.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cuts_fen: Mapped[list[int]] = mapped_column(JSON)
    salt: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    helps_total: Mapped[int] = mapped_column(Integer)
    helps_done: Mapped[int] = mapped_column(Integer, default=0)
    start_price_fen: Mapped[int] = mapped_column(BigInteger)
    current_price_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BargainHelp(Base):
    """One friend's help on a run; ``seq`` is the index of the cut it applied."""

    __tablename__ = "bargain_helps"
    __table_args__ = (UniqueConstraint("run_id", "helper_id"), UniqueConstraint("run_id", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("bargain_runs.id"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    cut_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TieredDeal(Base):
    """阶梯团: ``tiers`` is ``[{"min_participants", "price_fen"}, ...]``; ``open`` → ``closed``."""

    __tablename__ = "tiered_deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    tiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="open")
    final_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TieredParticipant(Base):
    """One buyer in a tiered deal, with the unit price paid when joining."""

    __tablename__ = "tiered_participants"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("tiered_deals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    paid_price_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Presale(Base):
    """预售: a deposit (worth ``deposit_worth_fen`` off, 定金膨胀) then the balance.

    ``unpaid_balance_rule`` (``forfeit_deposit`` | ``refund_deposit``) is shown to buyers
    before they pay the deposit.
    """

    __tablename__ = "presales"
    __table_args__ = (
        CheckConstraint("deposit_fen > 0 AND deposit_fen <= deposit_worth_fen",
                        name="deposit_range"),
        CheckConstraint("deposit_worth_fen <= price_fen", name="worth_le_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    deposit_fen: Mapped[int] = mapped_column(BigInteger)
    deposit_worth_fen: Mapped[int] = mapped_column(BigInteger)
    deposit_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deposit_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    balance_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    balance_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    unpaid_balance_rule: Mapped[str] = mapped_column(String(20), default="forfeit_deposit")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
