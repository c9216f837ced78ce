"""Tables of community group buying (社区团购): leaders, pickup points, batches, pickups.

Orders, SKUs and users are referred to by id; a batch order is an ordinary order
(``orders``) plus its row here: the pickup point, the pickup code and the leader's rate
as they were when it was placed.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quanzi.core.db import Base, UTCDateTime


class PickupPoint(Base):
    """A neighbourhood pickup point (自提点) run by one leader.

    ``status``: ``pending`` (applied for), ``live``, ``paused`` (by its leader), ``rejected``.
    ``initials`` holds the pinyin initials of the community and the point's name
    (``阳光家园`` → ``ygjy``), space separated, for searching without a location;
    ``h3_cell`` is the H3 cell (resolution 8) of ``lat``/``lng`` when they were given.
    """

    __tablename__ = "pickup_points"
    __table_args__ = (Index("ix_pickup_points_city_district", "city", "district"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(20))
    community: Mapped[str] = mapped_column(String(60))
    initials: Mapped[str] = mapped_column(String(130))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    h3_cell: Mapped[str | None] = mapped_column(String(16), index=True)
    opening_hours: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeaderApplication(Base):
    """Someone's application to lead the pickup point they describe (团长申请); free."""

    __tablename__ = "leader_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending|approved|rejected
    reason: Mapped[str | None] = mapped_column(String(255))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ChosenPoint(Base):
    """The pickup point a buyer chose; kept until they choose another."""

    __tablename__ = "chosen_pickup_points"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Batch(Base):
    """A round of community buying (团期) of one supplier's goods.

    ``status``: scheduled → open → cut_off → dispatched → arrived → closed
    (``community.domain``). ``leader_rate_bps`` is copied onto each order when placed.
    """

    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint("opens_at < cuts_off_at AND cuts_off_at <= pickup_from",
                        name="times_in_order"),
        CheckConstraint("leader_rate_bps >= 0 AND leader_rate_bps <= 10000",
                        name="rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    cuts_off_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    pickup_from: Mapped[datetime] = mapped_column(UTCDateTime())
    leader_rate_bps: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cut_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when it was done
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BatchItem(Base):
    """A SKU sold in a batch at the batch's price, from the batch's own stock."""

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "sku_id"),
        CheckConstraint("stock_left >= 0", name="stock_left_nonnegative"),
        CheckConstraint("min_qty_per_point >= 0", name="min_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(Integer)
    stock_left: Mapped[int] = mapped_column(Integer)
    min_qty_per_point: Mapped[int] = mapped_column(Integer, default=0)


class BatchOrder(Base):
    """An order placed in a batch, for collection at a pickup point.

    ``pickup_code`` is random (``community.codes``) and unique; ``leader_id`` and
    ``leader_rate_bps`` are the point's leader and the batch's rate when it was placed.
    """

    __tablename__ = "batch_orders"
    __table_args__ = (Index("ix_batch_orders_batch_point", "batch_id", "pickup_point_id"),)

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pickup_code: Mapped[str] = mapped_column(String(16), unique=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    leader_rate_bps: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Arrival(Base):
    """A batch's goods arrived at one pickup point (confirmed by its leader)."""

    __tablename__ = "batch_arrivals"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"),
                                                 primary_key=True)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class PickupAttempt(Base):
    """One attempt to verify a pickup code (核销记录): who, when, where, what came of it.

    Append-only: rows are never changed or deleted. ``code_tail`` is the last 4 characters
    typed, never the whole code; ``outcome`` is ``completed`` or the refusal's error code.
    """

    __tablename__ = "pickup_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pickup_point_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_points.id"),
                                                        index=True)
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    code_tail: Mapped[str] = mapped_column(String(4))
    outcome: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PickListRow(Base):
    """The frozen picking list (集单): units of a SKU for one point, paid orders only."""

    __tablename__ = "pick_list_rows"
    __table_args__ = (UniqueConstraint("batch_id", "pickup_point_id", "sku_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    title: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer)


class DispatchNoteRow(Base):
    """One line of a point's frozen dispatch note (派送单), in handing-out order."""

    __tablename__ = "dispatch_note_rows"
    __table_args__ = (Index("ix_dispatch_note_rows_batch_point", "batch_id", "pickup_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    pickup_point_id: Mapped[int] = mapped_column(ForeignKey("pickup_points.id"))
    position: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int] = mapped_column(Integer)
    buyer_name: Mapped[str] = mapped_column(String(64))  # masked: 张*
    phone_tail: Mapped[str] = mapped_column(String(4))
    sku_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer)
