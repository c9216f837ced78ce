"""The supplier console's products: list, create with SKUs, edit the product, edit a SKU's
spec and price, add a SKU. Suppliers see and change only their own goods (the catalog
services refuse another supplier's with 403); operators manage every supplier's."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.catalog import services
from quanzi.catalog.domain import MAX_SKUS, may_manage
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import ProductCreate, ProductOut, ProductUpdate, SkuCreate, SkuUpdate
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from quanzi.web.campaigns.forms import fen
from quanzi.web.kit import i18n
from quanzi.web.kit.form_errors import FieldErrors, by_field
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    SupplierUser,
    number,
    redirect,
    render,
    text,
)
from quanzi.web.kit.refusals import say

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LIST = "/supplier/products"
NEW_ROWS = 3
LABELS = {"supplier_id": "供货商", "title": "商品名称", "description": "商品描述",
          "category": "分类", "images": "图片链接", "skus": "规格", "spec": "规格名称",
          "price_fen": "价格（元）", "stock": "库存"}


@router.get(LIST)
def products_page(request: Request, user: SupplierUser) -> Response:
    return _list(request, user, values={}, errors={})


def _list(request: Request, user: Identity, *, values: dict[str, Any], errors: FieldErrors,
          status_code: int = 200) -> Response:
    filters = ProductFilter(supplier_id=None if user.is_operator else user.supplier_id,
                            include_off_shelf=True)
    with read_session() as session:
        items = catalog.list_products(session, filters, limit=100, viewer=user).items
        suppliers = catalog.list_suppliers(session) if user.is_operator else []
    return render(request, "supplier/products.html", {
        "items": items, "suppliers": suppliers, "values": values, "errors": errors,
        "rows": range(NEW_ROWS)}, status_code=status_code)


def _product_fields(form: FormData) -> dict[str, Any]:
    images = [line.strip() for line in text(form, "images", 5000).splitlines() if line.strip()]
    return {"title": text(form, "title", 200), "description": text(form, "description", 6000),
            "category": text(form, "category", 60) or None, "images": images}


def _sku_rows(form: FormData) -> list[dict[str, Any]]:
    """The filled SKU rows of the create form (``spec_N``, ``price_N``, ``stock_N``)."""
    rows = []
    for n in range(NEW_ROWS):
        spec, price = text(form, f"spec_{n}", 80), text(form, f"price_{n}", 16)
        if spec or price:
            rows.append({"spec": spec, "price_fen": fen(price),
                         "stock": text(form, f"stock_{n}", 12) or 0})
    return rows


@router.post(LIST)
def create(request: Request, user: SupplierUser, form: CheckedForm) -> Response:
    """Create a product; refused input is shown in the form and nothing is created."""
    supplier_id = number(form, "supplier_id") if user.is_operator else user.supplier_id
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        data = ProductCreate.model_validate({**_product_fields(form), "supplier_id": supplier_id,
                                             "skus": _sku_rows(form)})
    except ValidationError as exc:
        errors = by_field(exc, LABELS, lang=i18n.negotiate(request), rows="skus",
                          names={"price_fen": "price"})
        return _list(request, user, values=values, errors=errors, status_code=422)
    try:
        product = services.create_product(actor=user, data=data)
    except (InvalidInput, Conflict) as exc:
        return _list(request, user, values=values, status_code=exc.status,
                     errors={"": say(exc, i18n.negotiate(request))})
    return redirect(request, f"{LIST}/{product.id}")


@router.get(LIST + "/{product_id}")
def edit_page(request: Request, product_id: int, user: SupplierUser) -> Response:
    return _edit(request, user, _bounded(product_id))


def _edit(request: Request, user: Identity, product_id: int, *, failed: str = "",
          errors: FieldErrors | None = None, values: dict[str, Any] | None = None,
          status_code: int = 200) -> Response:
    """The edit page; ``failed`` names the refused form (``product``, ``sku-<id>`` or
    ``new``), shown again with ``values`` and the ``errors`` under its fields."""
    with read_session() as session:
        product = catalog.get_product(session, product_id, viewer=user)
    _own(user, product)
    return render(request, "supplier/product.html", {
        "product": product, "failed": failed, "errors": errors or {}, "values": values or {},
        "max_skus": MAX_SKUS}, status_code=status_code)


def _typed(form: FormData) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _refused(request: Request, user: Identity, pid: int, failed: str, form: FormData,
             exc: ValidationError | Conflict) -> Response:
    """The edit page again with the form ``failed`` as typed and its reasons by field."""
    lang = i18n.negotiate(request)
    if isinstance(exc, Conflict):
        errors, status = {"spec": say(exc, lang)}, 409
    else:
        errors, status = by_field(exc, LABELS, lang=lang, names={"price_fen": "price"}), 422
    return _edit(request, user, pid, failed=failed, errors=errors, values=_typed(form),
                 status_code=status)


def _own(user: Identity, product: ProductOut) -> None:
    if not may_manage(user, product.supplier_id):
        raise Forbidden("这是其他供货商的商品。")


@router.post(LIST + "/{product_id}")
def update(request: Request, product_id: int, user: SupplierUser, form: CheckedForm) -> Response:
    pid = _bounded(product_id)
    try:
        data = ProductUpdate.model_validate({**_product_fields(form),
                                             "on_shelf": form.get("on_shelf") == "on"})
    except ValidationError as exc:
        return _refused(request, user, pid, "product", form, exc)
    services.update_product(actor=user, product_id=pid, data=data)
    return redirect(request, f"{LIST}/{pid}")


@router.post(LIST + "/{product_id}/skus")
def add_sku(request: Request, product_id: int, user: SupplierUser, form: CheckedForm) -> Response:
    pid = _bounded(product_id)
    try:
        data = SkuCreate.model_validate({"spec": text(form, "spec", 80),
                                         "price_fen": fen(text(form, "price", 16)),
                                         "stock": text(form, "stock", 12) or 0})
        services.add_sku(actor=user, product_id=pid, data=data)
    except (ValidationError, Conflict) as exc:
        return _refused(request, user, pid, "new", form, exc)
    return redirect(request, f"{LIST}/{pid}")


@router.post("/supplier/skus/{sku_id}")
def update_sku(request: Request, sku_id: int, user: SupplierUser, form: CheckedForm) -> Response:
    pid = _bounded(number(form, "product_id"))
    try:
        data = SkuUpdate.model_validate({"spec": text(form, "spec", 80),
                                         "price_fen": fen(text(form, "price", 16))})
        services.update_sku(actor=user, sku_id=_bounded(sku_id), data=data)
    except (ValidationError, Conflict) as exc:
        return _refused(request, user, pid, f"sku-{sku_id}", form, exc)
    return redirect(request, f"{LIST}/{pid}")


def _bounded(value: int) -> int:
    if not 1 <= value <= 2_147_483_647:
        raise NotFound("没有这件商品。")
    return value
