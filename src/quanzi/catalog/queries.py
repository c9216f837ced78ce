"""Read side of the catalog: products, pages of products, categories, suppliers."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from quanzi.catalog import search
from quanzi.catalog.domain import (
    Actor,
    Cursor,
    decode_cursor,
    encode_cursor,
    may_manage,
    price_from,
)
from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.catalog.schemas import CategoryOut, ProductOut, ProductPage, SkuOut, SupplierOut
from quanzi.core.errors import Forbidden, NotFound, Unauthenticated


def sku_out(sku: Sku) -> SkuOut:
    return SkuOut(id=sku.id, spec=sku.spec, price_fen=sku.price_fen, stock=sku.stock)


def product_out(product: Product) -> ProductOut:
    skus = [sku_out(sku) for sku in product.skus]
    return ProductOut(id=product.id, supplier_id=product.supplier_id, title=product.title,
                      description=product.description, category=product.category,
                      images=list(product.images or []), on_shelf=product.on_shelf,
                      sold_count=product.sold_count, skus=skus,
                      price_from_fen=price_from([sku.price_fen for sku in skus]))


def supplier_out(supplier: Supplier) -> SupplierOut:
    return SupplierOut(id=supplier.id, name=supplier.name, fee_bp=supplier.fee_bp)


def get_product(session: Session, product_id: int, *, viewer: Actor | None = None) -> ProductOut:
    """The product; 404 if unknown, or off the shelf and ``viewer`` may not manage it."""
    product = session.get(Product, product_id)
    if product is None or not (product.on_shelf or may_manage(viewer, product.supplier_id)):
        raise NotFound("no such product")
    return product_out(product)


@dataclass(frozen=True)
class ProductFilter:
    """What to list. ``q`` is free text; ``include_off_shelf`` needs a manager (see below)."""

    q: str | None = None
    category: str | None = None
    supplier_id: int | None = None
    include_off_shelf: bool = False


def list_products(session: Session, filters: ProductFilter, *, cursor: str | None = None,
                  limit: int = 20, viewer: Actor | None = None) -> ProductPage:
    """One page of products, newest first, or best match first when ``filters.q`` is given.

    Off-shelf products are listed only with ``include_off_shelf``: all of them for an
    operator, the supplier's own for supplier staff; anyone else asking gets 401/403.
    A query with no searchable word (only punctuation) matches nothing. A cursor not
    made by this function for the same kind of listing is a 422 (``bad_cursor``).
    """
    q = (filters.q or "").strip()
    position = decode_cursor(cursor, searching=bool(q)) if cursor else None
    stmt = select(Product).where(_visibility(filters, viewer))
    if filters.category is not None:
        stmt = stmt.where(Product.category == filters.category)
    if filters.supplier_id is not None:
        stmt = stmt.where(Product.supplier_id == filters.supplier_id)
    if q:
        return _search_page(session, stmt, q, position, limit)
    if position is not None:
        stmt = stmt.where(Product.id < position.last_id)
    products = list(session.scalars(stmt.order_by(Product.id.desc()).limit(limit + 1)))
    more = len(products) > limit
    products = products[:limit]
    next_cursor = encode_cursor(Cursor(products[-1].id)) if more else None
    return ProductPage(items=[product_out(p) for p in products], next_cursor=next_cursor)


def _visibility(filters: ProductFilter, viewer: Actor | None) -> ColumnElement[bool]:
    if not filters.include_off_shelf:
        return Product.on_shelf.is_(True)
    if viewer is None:
        raise Unauthenticated("sign in to see products off the shelf")
    if viewer.has("operator"):
        return Product.id.is_not(None)
    if viewer.has("supplier") and viewer.supplier_id is not None:
        return or_(Product.on_shelf.is_(True), Product.supplier_id == viewer.supplier_id)
    raise Forbidden("only operators and suppliers see products off the shelf")


def _search_page(session: Session, stmt: Select[Product], q: str,
                 position: Cursor | None, limit: int) -> ProductPage:
    terms = search.query_terms(q)
    if not terms:
        return ProductPage(items=[], next_cursor=None)
    hits = search.matches(session, terms)
    scored = stmt.add_columns(hits.c.score).join(hits, hits.c.product_id == Product.id)
    if position is not None:
        scored = scored.where(or_(hits.c.score < position.score,
                                  and_(hits.c.score == position.score,
                                       Product.id < position.last_id)))
    rows = session.execute(
        scored.order_by(hits.c.score.desc(), Product.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last, score = rows[-1]
        next_cursor = encode_cursor(Cursor(last.id, float(score)))
    return ProductPage(items=[product_out(row[0]) for row in rows], next_cursor=next_cursor)


def list_categories(session: Session) -> list[CategoryOut]:
    """Categories of on-shelf products with how many each has, biggest first."""
    count = func.count(Product.id)
    rows = session.execute(
        select(Product.category, count)
        .where(Product.on_shelf.is_(True), Product.category.is_not(None))
        .group_by(Product.category).order_by(count.desc(), Product.category)).all()
    return [CategoryOut(name=name, count=n) for name, n in rows if name is not None]


def list_suppliers(session: Session) -> list[SupplierOut]:
    return [supplier_out(s) for s in session.scalars(select(Supplier).order_by(Supplier.id))]


def supplier_ids_by_name(session: Session, names: list[str]) -> dict[str, int]:
    """``{name: id}`` for the suppliers among ``names`` that exist."""
    rows = session.execute(select(Supplier.name, Supplier.id).where(Supplier.name.in_(names)))
    return dict(rows.all())


def supplier_exists(session: Session, supplier_id: int) -> bool:
    return session.get(Supplier, supplier_id) is not None
