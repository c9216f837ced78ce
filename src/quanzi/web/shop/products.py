"""The shop: product list ``/`` with the live campaigns, product page ``/p/{id}`` with the
SKU picker, campaign badges and the share sheet, the cart, checkout and the sandbox
payment page."""

import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from quanzi.accounts import services as accounts
from quanzi.accounts.identity import Identity
from quanzi.accounts.schemas import AddressOut
from quanzi.campaigns import services as campaign_services
from quanzi.campaigns.listing import CampaignFilter, list_campaigns
from quanzi.campaigns.schemas import CampaignItem
from quanzi.catalog import queries
from quanzi.catalog.domain import MAX_ID
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import ProductPage
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput, NotFound
from quanzi.orders import paying
from quanzi.orders import queries as order_queries
from quanzi.orders.domain import PENDING
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.payments import services as payments
from quanzi.payments.models import Payment
from quanzi.referral import picker, shares
from quanzi.referral.share_cookies import from_cookie_header
from quanzi.web.campaigns.kit import campaign_url
from quanzi.web.kit import address_form, i18n, refusals
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    PromoterUser,
    SignedIn,
    error_page,
    number,
    redirect,
    render,
    text,
)
from quanzi.web.kit.refusal_texts import FIELD_LABELS
from quanzi.web.kit.templating import absolute_url
from quanzi.web.shop import cart
from quanzi.web.shop.lead import lead_of

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE_SIZE = 20
HOME_CAMPAIGNS = 10
PRODUCT_CAMPAIGNS = 10
INVITE_AFTER_PAYING = ("group", "bargain")  # campaign_ref heads whose page invites friends
CHECKOUT_LABELS = {**FIELD_LABELS, "items": "商品", "": "收货地址"}  # OrderCreate's fields


def not_found(request: Request, message: str = "商品不存在或已下架。") -> Response:
    """The friendly 404 page."""
    return render(request, "errors/404.html", {"message": message}, status_code=404)


def _page(q: str, category: str | None, cursor: str | None) -> ProductPage:
    """A page of on-shelf products; a cursor that does not fit starts over at page one."""
    filters = ProductFilter(q=q or None, category=category)
    with read_session() as session:
        try:
            return queries.list_products(session, filters, cursor=cursor, limit=PAGE_SIZE)
        except InvalidInput:
            return queries.list_products(session, filters, limit=PAGE_SIZE)


def live_campaigns(*, product_id: int | None = None, limit: int) -> list[CampaignItem]:
    """Campaigns one can take part in now, on products on the shelf, priced at most at the
    list price (ending soonest first)."""
    filters = CampaignFilter(status="live", product_id=product_id, on_shelf_only=True,
                             deals_only=True)
    with read_session() as session:
        return list_campaigns(session, filters, now=clock.now(), limit=limit)


@router.get("/")
def product_list(request: Request, q: str = "", category: str = "", cursor: str = "") -> Response:
    q, category_or_none = q.strip()[:100], category.strip()[:40] or None
    page = _page(q, category_or_none, cursor[:200] or None)
    with read_session() as session:
        categories = queries.list_categories(session)
    front = not (q or category_or_none or cursor)
    campaigns = live_campaigns(limit=HOME_CAMPAIGNS) if front else []
    params = {k: v for k, v in (("q", q), ("category", category_or_none or "")) if v}
    next_url = "/?" + urlencode({**params, "cursor": page.next_cursor or ""})
    return render(request, "catalog/list.html", {
        "q": q, "category": category_or_none, "categories": categories, "page": page,
        "next_url": next_url, "campaigns": campaigns, "strip_seconds": _ending_in(campaigns)})


def _ending_in(campaigns: list[CampaignItem]) -> dict[tuple[str, int], int]:
    """(kind, id) → seconds until each campaign with an end closes (the strip's clocks)."""
    now = clock.now()
    return {(c.kind, c.id): max(0, int((c.ends_at - now).total_seconds()))
            for c in campaigns if c.ends_at is not None}


def _product_id(raw: str) -> int | None:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    return int(raw) if 1 <= int(raw) <= MAX_ID else None


@router.get("/p/{product_id}")
def product_page(request: Request, product_id: str) -> Response:
    pid = _product_id(product_id)
    if pid is None:
        return not_found(request)
    try:
        with read_session() as session:
            product = queries.get_product(session, pid)
    except NotFound:
        return not_found(request)
    campaigns = live_campaigns(product_id=pid, limit=PRODUCT_CAMPAIGNS)
    return render(request, "catalog/product.html", {
        "product": product, "campaigns": campaigns,
        "lead": lead_of(campaigns, _sold_out(campaigns), clock.now())})


def _sold_out(campaigns: list[CampaignItem]) -> frozenset[int]:
    """The flash sales among ``campaigns`` with no unit left (they do not lead the page)."""
    flash = [c.id for c in campaigns if c.kind == "flash_sale"]
    if not flash:
        return frozenset()
    with read_session() as session:
        return frozenset(i for i in flash
                         if campaign_services.get_flash_sale(session, i).status == "sold_out")


@router.post("/p/{product_id}/share")
def share_product(request: Request, product_id: str, user: PromoterUser,
                  _: CheckedForm) -> Response:
    """htmx: create (or reuse) the promoter's share of the product; the share sheet partial."""
    pid = _product_id(product_id)
    if pid is None:
        return not_found(request)
    share = shares.create_share(promoter_user_id=user.id, product_id=pid)
    with read_session() as session:
        earn = picker.earn_per_item(session, pid)
    return render(request, "catalog/partials/share_sheet.html",
                  {"share": share, "link": absolute_url(share.url), "earn_fen": earn})


@router.get("/cart")
def cart_page(request: Request) -> Response:
    with read_session() as session:
        lines = cart.lines(session, cart.read(request))
    return render(request, "shop/cart.html", {"lines": lines,
                                              "total_fen": sum(x.total_fen for x in lines)})


@router.post("/cart/add")
def cart_add(request: Request, form: CheckedForm) -> Response:
    new = cart.entry(number(form, "product_id"), number(form, "sku_id"),
                     number(form, "quantity", 1))
    if new is None:
        return error_page(request, 422, "请选择规格和数量。")
    entries = cart.add(cart.read(request), new)
    response: Response = redirect(request, "/cart")
    if request.headers.get("hx-request"):  # stay on the page: a toast and the cart's badge
        response = render(request, "shop/partials/cart_added.html",
                          {"cart_count": cart.count(entries)})
    cart.write(response, entries)
    return response


@router.post("/buy")
def buy_now(request: Request, form: CheckedForm) -> Response:
    """The product page's 立即购买: on to checkout with the chosen SKU and quantity."""
    chosen = cart.entry(number(form, "product_id"), number(form, "sku_id"),
                        number(form, "quantity", 1))
    if chosen is None:
        return error_page(request, 422, "请选择规格和数量。")
    query = urlencode({"product": chosen.product_id, "sku": chosen.sku_id,
                       "qty": chosen.quantity})
    return redirect(request, f"/checkout?{query}")


@router.post("/cart/remove")
def cart_remove(request: Request, form: CheckedForm) -> Response:
    sku_id = number(form, "sku_id")
    response = redirect(request, "/cart")
    cart.write(response, [e for e in cart.read(request) if e.sku_id != sku_id])
    return response


def _checkout_entries(request: Request, product: int, sku: int, qty: int) -> list[cart.Entry]:
    """Buy-now (one SKU from the product page) or, without ``sku``, the whole cart."""
    if sku:
        one = cart.entry(product, sku, qty)
        return [one] if one else []
    return cart.read(request)


@router.get("/checkout")
def checkout_page(request: Request, user: SignedIn, product: int = 0, sku: int = 0,
                  qty: int = 1) -> Response:
    with read_session() as session:
        lines = cart.lines(session, _checkout_entries(request, product, sku, qty))
        addresses = accounts.list_addresses(session, user.id)
    if not lines:
        return redirect(request, "/cart")
    return _checkout(request, lines, addresses, from_cart=not sku, values={}, error=None)


def _checkout(request: Request, lines: list[cart.Line], addresses: list[AddressOut], *,
              from_cart: bool,
              values: dict[str, str], error: str | None, status_code: int = 200) -> Response:
    return render(request, "shop/checkout.html", {
        "lines": lines, "total_fen": sum(x.total_fen for x in lines), "addresses": addresses,
        "from_cart": from_cart, "values": values, "error": error,
        "key": values.get("key") or secrets.token_urlsafe(16)}, status_code=status_code)


@router.post("/checkout")
def checkout(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Place the order (idempotent per form), open a sandbox payment and go to its page."""
    entries = cart.parse([v for v in form.getlist("line") if isinstance(v, str)])
    values = {**address_form.typed(form), "key": text(form, "key", 255)}
    address_id = number(form, "address_id")
    came = from_cookie_header(request.headers.get("cookie", ""))
    data: dict[str, object] = {
        "items": [{"sku_id": e.sku_id, "quantity": e.quantity} for e in entries],
        "share_code": came.share_code}
    data |= ({"address_id": address_id} if address_id else
             {"address": address_form.for_order(values)})
    try:
        order = place_order(buyer_id=user.id, data=OrderCreate.model_validate(data),
                            idempotency_key=values["key"] or secrets.token_urlsafe(16),
                            visitor_id=came.visitor_id)
    except ValidationError as exc:
        with read_session() as session:
            lines = cart.lines(session, entries)
            addresses = accounts.list_addresses(session, user.id)
        return _checkout(request, lines, addresses, from_cart=text(form, "from_cart", 5) == "1",
                         values=values, status_code=422,
                         error=refusals.invalid(exc, i18n.negotiate(request), CHECKOUT_LABELS))
    if not address_id:  # a typed address goes into the book (once, on a retry too)
        address_form.remember(user.id, values)
    target = f"/orders/{order.id}"  # a 0-fen order is paid already: nothing to pay
    if order.status == PENDING:
        target = paying.start_payment(order_id=order.id, payer_id=user.id,
                                      provider_name="sandbox",
                                      idempotency_key=f"web-pay-{order.id}").pay_url or target
    response = redirect(request, target)
    if text(form, "from_cart", 5) == "1":
        cart.write(response, [])
    return response


@router.get("/sandbox/pay/{payment_id}")
def sandbox_page(request: Request, payment_id: int, user: SignedIn) -> Response:
    """The sandbox provider's payment page (development only)."""
    if get_settings().is_production or not 1 <= payment_id <= MAX_ID:
        return not_found(request, "沙箱支付在生产环境中不可用。")
    with read_session() as session:
        payment = session.get(Payment, payment_id)
        if payment is None or payment.payer_id != user.id or payment.provider != "sandbox":
            return not_found(request, "没有这笔支付。")
        intent = payments.intent_out(payment)
    return render(request, "shop/sandbox_pay.html", {"intent": intent})


@router.post("/sandbox/pay/{payment_id}")
def sandbox_complete(request: Request, payment_id: int, user: SignedIn,
                     _: CheckedForm) -> Response:
    if not 1 <= payment_id <= MAX_ID:
        return not_found(request, "没有这笔支付。")
    order_id = payments.complete_sandbox(payment_id=payment_id, payer_id=user.id)
    return redirect(request, _paid_landing(user, order_id))


def _paid_landing(user: Identity, order_id: int) -> str:
    """Where a paid order lands: a 拼团 or 砍价 order on its group or run page (to invite
    friends, ``?paid=`` names the order), any other on the order's page."""
    with read_session() as session:
        order = order_queries.get_order(session, user, order_id)
    page = campaign_url(order.campaign_ref)
    head = (order.campaign_ref or "").partition(":")[0]
    if page is None or head not in INVITE_AFTER_PAYING:
        return f"/orders/{order_id}"
    return f"{page}?paid={order_id}#invite"
