"""Tables of the orders domain."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quanzi.core.db import Base, UTCDateTime


class Order(Base):
    """One buyer's order from one supplier. ``status`` follows ``orders.domain``."""

    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("refunded_fen <= total_fen", name="refund_le_total"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    fee_bp: Mapped[int] = mapped_column(Integer)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    attribution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20), default="normal")
    campaign_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    # why the order may not ship yet (``orders.domain.HOLDS``), e.g. a 拼团 still forming
    hold: Mapped[str | None] = mapped_column(String(30))
    # presales: the deposit part of ``total_fen``, and when the balance may be paid
    deposit_fen: Mapped[int | None] = mapped_column(BigInteger)
    balance_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    balance_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    carrier: Mapped[str | None] = mapped_column(String(40))
    tracking_no: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    pay_deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    lines: Mapped[list["OrderLine"]] = relationship(order_by="OrderLine.id", lazy="selectin")


class OrderLine(Base):
    """A SKU bought in an order, with its price and title as they were when bought."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refunded_quantity >= 0 AND refunded_quantity <= quantity",
                        name="refunded_quantity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    spec: Mapped[str] = mapped_column(String(60))
    category: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    @property
    def amount_fen(self) -> int:
        return self.price_fen * self.quantity


class Refund(Base):
    """A buyer's refund request (退款) for some quantity of some lines."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(255))
    # one of ``orders.domain.REFUND_REASONS`` (None: asked before the codes existed, or
    # opened by the platform itself)
    reason_code: Mapped[str | None] = mapped_column(String(20))
    lines: Mapped[list[dict[str, int]]] = mapped_column(JSON)
    decision_note: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # a request left to the seller is approved by the worker once this has passed
    decide_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    photos: Mapped[list["RefundPhoto"]] = relationship(lazy="selectin",
                                                       order_by="RefundPhoto.id")


class RefundPhoto(Base):
    """A photo a buyer attached to a refund request (re-encoded, no EXIF).

    Uploaded first (``refund_id`` empty), then attached to the request that names it.
    Only the buyer, the order's supplier and operators may see it.
    """

    __tablename__ = "refund_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"), index=True)
    media_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
