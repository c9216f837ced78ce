"""Server-rendered pages: the product list ``/`` and the product page ``/p/{id}``."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from quanzi.catalog import queries
from quanzi.catalog.domain import MAX_ID
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import ProductPage
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput, NotFound
from quanzi.web import referral_pages
from quanzi.web.templating import templates

router = APIRouter(include_in_schema=False)
router.include_router(referral_pages.router)
PAGE_SIZE = 20


def not_found(request: Request, message: str = "商品不存在或已下架。") -> HTMLResponse:
    """The friendly 404 page."""
    return templates.TemplateResponse(request, "errors/404.html", {"message": message},
                                      status_code=404)


def _page(q: str, category: str | None, cursor: str | None) -> ProductPage:
    """A page of on-shelf products; a cursor that does not fit starts over at page one."""
    filters = ProductFilter(q=q or None, category=category)
    with read_session() as session:
        try:
            return queries.list_products(session, filters, cursor=cursor, limit=PAGE_SIZE)
        except InvalidInput:
            return queries.list_products(session, filters, limit=PAGE_SIZE)


@router.get("/", response_class=HTMLResponse)
def product_list(request: Request, q: str = "", category: str = "",
                 cursor: str = "") -> HTMLResponse:
    q, category_or_none = q.strip()[:100], category.strip()[:40] or None
    page = _page(q, category_or_none, cursor[:200] or None)
    with read_session() as session:
        categories = queries.list_categories(session)
    params = {k: v for k, v in (("q", q), ("category", category_or_none or "")) if v}
    next_url = "/?" + urlencode({**params, "cursor": page.next_cursor or ""})
    return templates.TemplateResponse(request, "catalog/list.html", {
        "q": q, "category": category_or_none, "categories": categories, "page": page,
        "next_url": next_url})


@router.get("/p/{product_id}", response_class=HTMLResponse)
def product_page(request: Request, product_id: str) -> HTMLResponse:
    if not product_id.isdecimal() or not 1 <= int(product_id) <= MAX_ID:
        return not_found(request)
    try:
        with read_session() as session:
            product = queries.get_product(session, int(product_id))
    except NotFound:
        return not_found(request)
    return templates.TemplateResponse(request, "catalog/product.html", {"product": product})
