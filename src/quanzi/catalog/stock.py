"""Stock moves. Always a conditional update, never read-modify-write."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.core.db import changed_rows


@dataclass(frozen=True)
class SkuForSale:
    """What an order needs to know of a SKU at the moment it is bought."""

    sku_id: int
    product_id: int
    supplier_id: int
    title: str
    spec: str
    price_fen: int
    category: str | None
    on_shelf: bool
    fee_bp: int


# built once: every order runs them
_FOR_SALE = (select(Sku.id, Sku.product_id, Product.supplier_id, Product.title, Sku.spec,
                    Sku.price_fen, Product.category, Product.on_shelf, Supplier.fee_bp)
             .join(Product, Product.id == Sku.product_id)
             .join(Supplier, Supplier.id == Product.supplier_id)
             .where(Sku.id.in_(bindparam("skus", expanding=True))))
_TAKE = (update(Sku).where(Sku.id == bindparam("sku"), Sku.stock >= bindparam("quantity"))
         .values(stock=Sku.stock - bindparam("quantity"))
         .execution_options(synchronize_session=False))


_PRODUCTS = Product.metadata.tables[Product.__tablename__]
_COUNT_SOLD = (update(_PRODUCTS).where(_PRODUCTS.c.id == bindparam("pid"))
               .values(sold_count=_PRODUCTS.c.sold_count + bindparam("qty")))


def skus_for_sale(session: Session, sku_ids: list[int]) -> dict[int, SkuForSale]:
    """The SKUs among ``sku_ids`` that exist, with their product and supplier (one query)."""
    rows = session.execute(_FOR_SALE, {"skus": sku_ids}).all()
    return {row[0]: SkuForSale(*row) for row in rows}


def reserve(session: Session, sku_id: int, quantity: int) -> bool:
    """Take ``quantity`` units if that many are in stock; False (and no change) otherwise."""
    return changed_rows(session, _TAKE, {"sku": sku_id, "quantity": quantity}) == 1


def release(session: Session, sku_id: int, quantity: int) -> None:
    """Give ``quantity`` units back to stock."""
    session.execute(
        update(Sku).where(Sku.id == sku_id).values(stock=Sku.stock + quantity)
        .execution_options(synchronize_session=False)
    )


def count_sold(session: Session, sold: list[tuple[int, int]]) -> None:
    """Add ``(product_id, quantity)`` pairs to the products' sold counters (one executemany)."""
    if not sold:
        return
    session.execute(_COUNT_SOLD, [{"pid": product_id, "qty": quantity}
                                  for product_id, quantity in sold])


def sku_owner(session: Session, sku_id: int) -> int | None:
    """The supplier id whose product the SKU belongs to; None if there is no such SKU."""
    return session.scalar(
        select(Product.supplier_id).join(Sku, Sku.product_id == Product.id)
        .where(Sku.id == sku_id)
    )
