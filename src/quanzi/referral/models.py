"""Tables of the referral domain: promoters, shops, shares, clicks, bindings, commissions.

Every "promoter" reference outside ``Promoter`` itself is a **user id** (the promoter's
``user_id``), so a commission's beneficiary is directly a wallet owner.
Order and order-line ids are plain integers (no foreign key into the orders domain).
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quanzi.core.db import Base, UTCDateTime


class Promoter(Base):
    """A user's application to be a promoter (推客). ``inviter_id`` is set once, at application."""

    __tablename__ = "promoters"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # applied|approved|rejected
    reject_reason: Mapped[str | None] = mapped_column(String(255))
    invite_code: Mapped[str] = mapped_column(String(16), unique=True)
    inviter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Shop(Base):
    """A promoter's micro-shop (小铺), shown at ``/shop/{code}``."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    promoter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    share_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShopItem(Base):
    __tablename__ = "shop_items"
    __table_args__ = (UniqueConstraint("shop_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    position: Mapped[int] = mapped_column(Integer)


class Share(Base):
    """One promoter's share of a product, their shop or a campaign. Immutable once created."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("promoter_id", "target_kind", "campaign_kind", "target_id",
                                       name="uq_shares_promoter_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    promoter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_kind: Mapped[str] = mapped_column(String(16))  # product|shop|campaign
    target_id: Mapped[int] = mapped_column(Integer)
    campaign_kind: Mapped[str] = mapped_column(String(16), default="")  # "" unless a campaign
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Click(Base):
    """One visit through a share (link or token). ``ip_hash`` is salted; the raw IP is never
    kept."""

    __tablename__ = "clicks"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("shares.id"), index=True)
    visitor_id: Mapped[str | None] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    referrer: Mapped[str | None] = mapped_column(String(500))
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    is_preview: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CustomerBinding(Base):
    """A consumer (user or anonymous visitor) bound to the promoter who first brought them
    (锁粉)."""

    __tablename__ = "customer_bindings"
    __table_args__ = (CheckConstraint("user_id IS NOT NULL OR visitor_id IS NOT NULL",
                                      name="someone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    visitor_id: Mapped[str | None] = mapped_column(String(32), index=True)
    promoter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id"))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReferralConfig(Base):
    """The platform's referral settings: one row (id 1); absent means the defaults."""

    __tablename__ = "referral_config"
    __table_args__ = (
        CheckConstraint("level2_bp <= level1_bp", name="level2_le_level1"),
        CheckConstraint("cap_bp >= 0 AND cap_bp <= 10000", name="cap_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attribution_policy: Mapped[str] = mapped_column(String(16))  # last_click|binding
    window_days: Mapped[int] = mapped_column(Integer)
    binding_days: Mapped[int] = mapped_column(Integer)
    self_purchase_rebate: Mapped[bool] = mapped_column(Boolean)
    auto_approve: Mapped[bool] = mapped_column(Boolean)
    level1_bp: Mapped[int] = mapped_column(Integer)
    level2_enabled: Mapped[bool] = mapped_column(Boolean)
    level2_bp: Mapped[int] = mapped_column(Integer)
    cap_bp: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CommissionRate(Base):
    """A rate override for one category or one product (exactly one of the two)."""

    __tablename__ = "commission_rates"
    __table_args__ = (
        CheckConstraint("(category IS NULL) <> (product_id IS NULL)", name="one_scope"),
        CheckConstraint("level2_bp <= level1_bp", name="level2_le_level1"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str | None] = mapped_column(String(40), unique=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), unique=True)
    level1_bp: Mapped[int] = mapped_column(Integer)
    level2_bp: Mapped[int] = mapped_column(Integer)


class Commission(Base):
    """One accrual for one order line, level and kind (佣金).

    ``kind`` is ``promoter`` (a sharer's level 1 or their inviter's level 2) or ``leader``
    (the 团长 of a community batch order's pickup point: level 1, ``source_promoter_id``
    the leader, no share); both follow the order's money the same way.

    The amount still owed is ``amount_fen - reversed_fen - clawed_back_fen``:
    ``reversed_fen`` is what refunds took back before settlement, ``clawed_back_fen`` after.
    ``refunded_qty`` is the cumulative refunded quantity of the line these apply to.
    """

    __tablename__ = "commissions"
    __table_args__ = (
        UniqueConstraint("order_line_id", "level", "kind"),
        CheckConstraint("level IN (1, 2)", name="two_levels_at_most"),
        CheckConstraint("reversed_fen + clawed_back_fen <= amount_fen", name="net_nonnegative"),
        CheckConstraint("refunded_qty >= 0", name="refunded_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer, index=True)
    order_line_id: Mapped[int] = mapped_column(Integer)
    share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(Integer)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source_promoter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="promoter",
                                      server_default="promoter")
    rate_bp: Mapped[int] = mapped_column(Integer)
    line_amount_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_qty: Mapped[int] = mapped_column(Integer, default=0)
    reversed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    clawed_back_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def net_fen(self) -> int:
        return self.amount_fen - self.reversed_fen - self.clawed_back_fen
