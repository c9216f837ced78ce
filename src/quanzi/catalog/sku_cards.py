"""What other domains show of a SKU beside their own rows (campaign lists, badges):
its product's title and picture, the list price, the supplier, in one query.

``sku_scope`` gives the SKU ids of a product or a supplier as a subquery, so a caller
filters its own rows by ``sku_id IN (…)`` without reading the catalog's tables itself.
"""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from quanzi.catalog.models import Product, Sku

__all__ = ["SkuCard", "sku_cards", "sku_scope"]


@dataclass(frozen=True)
class SkuCard:
    sku_id: int
    product_id: int
    supplier_id: int
    title: str
    spec: str
    price_fen: int
    image: str | None
    on_shelf: bool


def sku_cards(session: Session, sku_ids: list[int]) -> dict[int, SkuCard]:
    """Cards of the SKUs among ``sku_ids`` that exist (one query, whatever their number)."""
    if not sku_ids:
        return {}
    rows = session.execute(
        select(Sku.id, Sku.product_id, Product.supplier_id, Product.title, Sku.spec,
               Sku.price_fen, Product.images, Product.on_shelf)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.id.in_(set(sku_ids)))
    ).all()
    return {row[0]: SkuCard(row[0], row[1], row[2], row[3], row[4], row[5],
                            row[6][0] if row[6] else None, bool(row[7])) for row in rows}


def sku_scope(*, product_id: int | None = None, supplier_id: int | None = None,
              on_shelf_only: bool = False) -> Select[int] | None:
    """``SELECT skus.id`` of the product and/or supplier (on the shelf only if asked);
    None when nothing narrows the SKUs, so the caller adds no condition at all."""
    if product_id is None and supplier_id is None and not on_shelf_only:
        return None
    scope = select(Sku.id).join(Product, Product.id == Sku.product_id)
    if product_id is not None:
        scope = scope.where(Sku.product_id == product_id)
    if supplier_id is not None:
        scope = scope.where(Product.supplier_id == supplier_id)
    if on_shelf_only:
        scope = scope.where(Product.on_shelf.is_(True))
    return scope
