"""Stock moves. Always a conditional update, never read-modify-write."""

from dataclasses import dataclass

from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.orm import Session

from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.core.db import changed_rows, table


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
    stock: int  # as read: a guide for messages, the conditional update decides


# built once: every order runs them
# Core, on the tables: the ORM's statements cost several times more
_S, _PR, _SU = table(Sku).c, table(Product).c, table(Supplier).c
_FOR_SALE = (select(_S.id, _S.product_id, _PR.supplier_id, _PR.title, _S.spec, _S.price_fen,
                    _PR.category, _PR.on_shelf, _SU.fee_bp, _S.stock)
             .join_from(table(Sku), table(Product), _PR.id == _S.product_id)
             .join(table(Supplier), _SU.id == _PR.supplier_id)
             .where(_S.id.in_(bindparam("skus", expanding=True))))
_TAKE = (update(table(Sku)).where(_S.id == bindparam("sku"), _S.stock >= bindparam("quantity"))
         .values(stock=_S.stock - bindparam("quantity")))


_COUNT_SOLD = (update(table(Product)).where(_PR.id == bindparam("pid"))
               .values(sold_count=_PR.sold_count + bindparam("qty")))


def skus_for_sale(session: Session, sku_ids: list[int]) -> dict[int, SkuForSale]:
    """The SKUs among ``sku_ids`` that exist, with their product and supplier (one query)."""
    rows = session.execute(_FOR_SALE, {"skus": sku_ids}).all()
    # ten columns, past the typed overloads of select(): the row is read as a plain tuple
    return {row[0]: SkuForSale(*tuple(row)) for row in rows}


def reserve(session: Session, sku_id: int, quantity: int) -> bool:
    """Take ``quantity`` units if that many are in stock; False (and no change) otherwise."""
    return changed_rows(session, _TAKE, {"sku": sku_id, "quantity": quantity}) == 1


def reserve_all(session: Session, takes: list[tuple[int, int]]) -> bool:
    """Take each ``(sku_id, quantity)`` if that many are in stock, in the order given, as
    one executemany (on PostgreSQL one round trip: psycopg sends it in a pipeline). False
    when any SKU had too few: the others may have been taken, so the caller's transaction
    must roll back (raising does)."""
    result = session.execute(_TAKE, [{"sku": sku, "quantity": quantity}
                                     for sku, quantity in takes])
    if not isinstance(result, CursorResult):
        raise TypeError("an executemany gave a result without a row count")
    return result.rowcount == len(takes)


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
