"""/api/v1 suppliers, products, SKUs and categories."""

from typing import Annotated

from fastapi import APIRouter, Header, Query

from quanzi.api.deps import Id, Operator, OptionalUser, ReadSession, SupplierOrOperator
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.catalog import queries, services
from quanzi.catalog.domain import MAX_ID
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import (
    CategoryList,
    ProductCreate,
    ProductOut,
    ProductPage,
    ProductUpdate,
    SkuCreate,
    SkuOut,
    SkuUpdate,
    StockAdjust,
    SupplierCreate,
    SupplierList,
    SupplierOut,
    SupplierUpdate,
)
from quanzi.core.idempotency import check_key

router = APIRouter(tags=["catalog"], responses=ERROR_RESPONSES)


@router.post("/suppliers", status_code=201, response_model=SupplierOut)
def create_supplier(data: SupplierCreate, _: Operator) -> SupplierOut:
    return services.create_supplier(data=data)


@router.get("/suppliers", response_model=SupplierList)
def list_suppliers(_: Operator, session: ReadSession) -> SupplierList:
    return SupplierList(items=queries.list_suppliers(session))


@router.patch("/suppliers/{supplier_id}", response_model=SupplierOut)
def update_supplier(supplier_id: Id, data: SupplierUpdate, _: Operator) -> SupplierOut:
    return services.update_supplier(supplier_id=supplier_id, data=data)


@router.post("/products", status_code=201, response_model=ProductOut)
def create_product(data: ProductCreate, user: SupplierOrOperator) -> ProductOut:
    return services.create_product(actor=user, data=data)


@router.get("/products", response_model=ProductPage)
def list_products(
    session: ReadSession,
    viewer: OptionalUser,
    q: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    supplier_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    include_off_shelf: bool = False,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ProductPage:
    filters = ProductFilter(q=q, category=category, supplier_id=supplier_id,
                            include_off_shelf=include_off_shelf)
    return queries.list_products(session, filters, cursor=cursor or None, limit=limit,
                                 viewer=viewer)


@router.get("/products/{product_id}", response_model=ProductOut)
def get_product(product_id: Id, session: ReadSession, viewer: OptionalUser) -> ProductOut:
    return queries.get_product(session, product_id, viewer=viewer)


@router.patch("/products/{product_id}", response_model=ProductOut)
def update_product(product_id: Id, data: ProductUpdate, user: SupplierOrOperator) -> ProductOut:
    return services.update_product(actor=user, product_id=product_id, data=data)


@router.post("/products/{product_id}/skus", status_code=201, response_model=SkuOut)
def add_sku(product_id: Id, data: SkuCreate, user: SupplierOrOperator) -> SkuOut:
    return services.add_sku(actor=user, product_id=product_id, data=data)


@router.patch("/skus/{sku_id}", response_model=SkuOut)
def update_sku(sku_id: Id, data: SkuUpdate, user: SupplierOrOperator) -> SkuOut:
    return services.update_sku(actor=user, sku_id=sku_id, data=data)


@router.post("/skus/{sku_id}/stock", response_model=SkuOut)
def adjust_stock(
    sku_id: Id, data: StockAdjust, user: SupplierOrOperator,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> SkuOut:
    """Move stock by ``delta``. An ``Idempotency-Key`` header is optional but recommended."""
    key = check_key(idempotency_key) if idempotency_key is not None else None
    return services.adjust_stock(actor=user, sku_id=sku_id, delta=data.delta,
                                 idempotency_key=key)


@router.get("/categories", response_model=CategoryList)
def list_categories(session: ReadSession) -> CategoryList:
    return CategoryList(items=queries.list_categories(session))
