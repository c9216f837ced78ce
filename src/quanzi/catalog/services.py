"""Use cases of the catalog: the only code that changes suppliers, products and SKUs.

Each public keyword-only function owns one transaction. ``add_supplier``,
``add_product`` and ``reindex`` take the caller's session and only flush, for other
use cases (the demo loader) that build many things in one transaction.
Every change to a product's text refreshes its search words (``reindex``).
"""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.catalog import search
from quanzi.catalog.domain import MAX_SKUS, MAX_STOCK, Actor, may_manage
from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.catalog.queries import product_out, sku_out, supplier_out
from quanzi.catalog.schemas import (
    ProductCreate,
    ProductOut,
    ProductUpdate,
    SkuCreate,
    SkuOut,
    SkuUpdate,
    SupplierCreate,
    SupplierOut,
    SupplierUpdate,
)
from quanzi.core import clock, idempotency
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, NotFound

# -- suppliers ---------------------------------------------------------------------


def add_supplier(session: Session, *, name: str, fee_bp: int | None = None) -> Supplier:
    """Insert a supplier (flushes); ``fee_bp`` defaults to the configured platform fee."""
    fee = get_settings().default_fee_bp if fee_bp is None else fee_bp
    supplier = Supplier(name=name, fee_bp=fee, created_at=clock.now())
    session.add(supplier)
    session.flush()
    return supplier


def create_supplier(*, data: SupplierCreate) -> SupplierOut:
    """Create a supplier. 409 ``supplier_exists`` if the name is taken."""
    try:
        with transaction() as session:
            return supplier_out(add_supplier(session, name=data.name, fee_bp=data.fee_bp))
    except IntegrityError as exc:
        raise Conflict("a supplier with that name exists", code="supplier_exists") from exc


def update_supplier(*, supplier_id: int, data: SupplierUpdate) -> SupplierOut:
    """Rename a supplier or change its fee. 404 if unknown, 409 if the name is taken."""
    try:
        with transaction() as session:
            supplier = session.get(Supplier, supplier_id, with_for_update=True)
            if supplier is None:
                raise NotFound("no such supplier")
            for field in data.model_fields_set:
                setattr(supplier, field, getattr(data, field))
            session.flush()
            return supplier_out(supplier)
    except IntegrityError as exc:
        raise Conflict("a supplier with that name exists", code="supplier_exists") from exc


# -- products ----------------------------------------------------------------------


def reindex(session: Session, product: Product) -> None:
    """Recompute ``product.search_tokens`` and the search index entry (flushes)."""
    product.search_tokens = search.index_tokens(product.title, product.category,
                                                product.description)
    session.flush()
    search.sync_product(session, product.id, search.index_tokens(product.title),
                        product.search_tokens)


def add_product(session: Session, data: ProductCreate) -> Product:
    """Insert a product with its SKUs and index it (flushes). No permission check.

    422 if ``data.supplier_id`` names no supplier.
    """
    if session.get(Supplier, data.supplier_id) is None:
        raise InvalidInput("no such supplier", code="unknown_supplier")
    now = clock.now()
    product = Product(supplier_id=data.supplier_id, title=data.title,
                      description=data.description, category=data.category,
                      images=list(data.images), on_shelf=True, sold_count=0,
                      search_tokens="", created_at=now, updated_at=now)
    product.skus = [Sku(spec=s.spec, price_fen=s.price_fen, stock=s.stock) for s in data.skus]
    session.add(product)
    session.flush()
    reindex(session, product)
    return product


def create_product(*, actor: Actor, data: ProductCreate) -> ProductOut:
    """List a new product (on the shelf). Operator, or staff of ``data.supplier_id`` (else 403)."""
    if not may_manage(actor, data.supplier_id):
        raise Forbidden("you may only list products of your own supplier")
    search.tokenizer()  # load jieba before taking the write lock
    with transaction() as session:
        return product_out(add_product(session, data))


def _managed_product(session: Session, actor: Actor, product_id: int) -> Product:
    """The product, row-locked; 404 if unknown, 403 if ``actor`` may not manage it."""
    product = session.get(Product, product_id, with_for_update=True)
    if product is None:
        raise NotFound("no such product")
    if not may_manage(actor, product.supplier_id):
        raise Forbidden("this product belongs to another supplier")
    return product


def update_product(*, actor: Actor, product_id: int, data: ProductUpdate) -> ProductOut:
    """Change the fields present in ``data`` (on_shelf lists or delists the product)."""
    search.tokenizer()  # load jieba before taking the write lock
    with transaction() as session:
        product = _managed_product(session, actor, product_id)
        changes: dict[str, Any] = {f: getattr(data, f) for f in data.model_fields_set}
        for field, value in changes.items():
            setattr(product, field, list(value) if field == "images" else value)
        product.updated_at = clock.now()
        if changes.keys() & {"title", "description", "category"}:
            reindex(session, product)
        session.flush()
        return product_out(product)


# -- SKUs --------------------------------------------------------------------------


def _ensure_new_spec(session: Session, product_id: int, spec: str, *,
                     except_sku: int | None = None) -> None:
    stmt = select(Sku.id).where(Sku.product_id == product_id, Sku.spec == spec)
    if except_sku is not None:
        stmt = stmt.where(Sku.id != except_sku)
    if session.scalar(stmt.limit(1)) is not None:
        raise Conflict(f"the product already has a SKU “{spec}”", code="duplicate_spec")


def add_sku(*, actor: Actor, product_id: int, data: SkuCreate) -> SkuOut:
    """Add a SKU to a product. 409 ``duplicate_spec`` / ``too_many_skus``."""
    with transaction() as session:
        product = _managed_product(session, actor, product_id)
        _ensure_new_spec(session, product.id, data.spec)
        if len(product.skus) >= MAX_SKUS:
            raise Conflict(f"a product has at most {MAX_SKUS} SKUs", code="too_many_skus")
        sku = Sku(product_id=product.id, spec=data.spec, price_fen=data.price_fen,
                  stock=data.stock)
        session.add(sku)
        product.updated_at = clock.now()
        session.flush()
        return sku_out(sku)


def _managed_sku(session: Session, actor: Actor, sku_id: int) -> Sku:
    sku = session.get(Sku, sku_id)
    if sku is None:
        raise NotFound("no such SKU")
    _managed_product(session, actor, sku.product_id)
    return sku


def update_sku(*, actor: Actor, sku_id: int, data: SkuUpdate) -> SkuOut:
    """Change a SKU's spec or price (stock moves only through ``adjust_stock``)."""
    with transaction() as session:
        sku = _managed_sku(session, actor, sku_id)
        if data.spec is not None:
            _ensure_new_spec(session, sku.product_id, data.spec, except_sku=sku.id)
            sku.spec = data.spec
        if data.price_fen is not None:
            sku.price_fen = data.price_fen
        session.flush()
        return sku_out(sku)


def adjust_stock(*, actor: Actor, sku_id: int, delta: int,
                 idempotency_key: str | None = None) -> SkuOut:
    """Add ``delta`` (may be negative) to a SKU's stock by one conditional update.

    409 ``insufficient_stock`` if stock would fall below 0, ``stock_limit`` above
    ``MAX_STOCK``; nothing changes then. With ``idempotency_key`` a replay returns the
    first answer instead of moving stock again.
    """
    def work(session: Session) -> SkuOut:
        _managed_sku(session, actor, sku_id)
        moved = changed_rows(
            session,
            update(Sku).where(Sku.id == sku_id, Sku.stock + delta >= 0,
                              Sku.stock + delta <= MAX_STOCK)
            .values(stock=Sku.stock + delta).execution_options(synchronize_session=False))
        if moved != 1:
            if delta < 0:
                raise Conflict("not that much in stock", code="insufficient_stock")
            raise Conflict(f"stock may not exceed {MAX_STOCK}", code="stock_limit")
        sku = session.get(Sku, sku_id, populate_existing=True)
        assert sku is not None
        return sku_out(sku)

    if idempotency_key is not None:
        scope = f"catalog.stock:{sku_id}"
        return idempotency.run_once(scope, idempotency_key, {"delta": delta}, work,
                                    answer=SkuOut)
    with transaction() as session:
        return work(session)
