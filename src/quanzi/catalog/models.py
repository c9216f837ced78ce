"""Tables of the catalog domain."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quanzi.core.db import Base, UTCDateTime


class Supplier(Base):
    """A supplier (供货商). ``fee_bp`` is the platform fee on its sales, in basis points."""

    __tablename__ = "suppliers"
    __table_args__ = (CheckConstraint("fee_bp >= 0 AND fee_bp <= 10000", name="fee_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    fee_bp: Mapped[int] = mapped_column(Integer, default=500)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(40), index=True)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    on_shelf: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    sold_count: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    skus: Mapped[list["Sku"]] = relationship(back_populates="product", order_by="Sku.id",
                                             lazy="selectin")


class Sku(Base):
    """One sellable variant (500g, 1kg...). ``stock`` only moves by conditional update."""

    __tablename__ = "skus"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        CheckConstraint("price_fen >= 0", name="price_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    spec: Mapped[str] = mapped_column(String(60))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(BigInteger)

    product: Mapped[Product] = relationship(back_populates="skus")
