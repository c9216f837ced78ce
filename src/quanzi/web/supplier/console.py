"""The supplier console: orders to ship (with the ship form) and to mark delivered, refunds
to approve or reject, products with their stock, campaigns on its SKUs. Operators see every
supplier's."""

import secrets

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.catalog import services as catalog_services
from quanzi.catalog.queries import ProductFilter
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.orders import lifecycle, queries, refunds
from quanzi.orders.schemas import OrderOut, RefundOut, ShipIn
from quanzi.web.campaigns import console as campaign_console
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    SupplierUser,
    number,
    redirect,
    render,
    text,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LIST_LIMIT = 50
AFTER_SHIPPING = ("shipped", "delivered", "completed")


def _orders(session: Session, user: Identity, status: str | None,
            to_ship: bool = False) -> list[OrderOut]:
    """This seller's orders in ``status``, or (``to_ship``) the queue of paid orders that
    may ship now: a 拼团 order waits there until its group forms."""
    scope = "all" if user.is_operator else "supplier"
    return queries.list_orders(session, user, scope=scope, status=status,
                               to_ship=to_ship, limit=LIST_LIMIT).items


def open_refunds(session: Session, user: Identity) -> list[tuple[OrderOut, RefundOut]]:
    """Refund requests waiting for this seller: composed from the orders that can have them
    (an unshipped order's refund is granted at once, so only shipped ones are looked at)."""
    waiting = []
    for status in AFTER_SHIPPING:
        for order in _orders(session, user, status):
            waiting += [(order, r) for r in refunds.refunds_of(session, user, order.id)
                        if r.status == "requested"]
    return waiting


@router.get("/supplier")
def console(request: Request, user: SupplierUser) -> Response:
    filters = ProductFilter(supplier_id=None if user.is_operator else user.supplier_id,
                            include_off_shelf=True)
    with read_session() as session:
        to_ship = _orders(session, user, None, to_ship=True)
        shipped = _orders(session, user, "shipped")
        waiting = open_refunds(session, user)
        products = catalog.list_products(session, filters, limit=LIST_LIMIT, viewer=user).items
    return render(request, "supplier/console.html", {
        "to_ship": to_ship, "shipped": shipped, "refunds": waiting, "products": products,
        "key": secrets.token_urlsafe(16)})


@router.post("/supplier/orders/{order_id}/ship")
def ship(request: Request, order_id: int, user: SupplierUser, form: CheckedForm) -> Response:
    data = ShipIn(carrier=text(form, "carrier", 40), tracking_no=text(form, "tracking_no", 64))
    lifecycle.ship(actor=user, order_id=_bounded(order_id), data=data)
    return redirect(request, "/supplier")


@router.post("/supplier/orders/{order_id}/deliver")
def deliver(request: Request, order_id: int, user: SupplierUser, _: CheckedForm) -> Response:
    lifecycle.deliver(actor=user, order_id=_bounded(order_id))
    return redirect(request, "/supplier")


@router.post("/supplier/refunds/{refund_id}/{decision}")
def decide(request: Request, refund_id: int, decision: str, user: SupplierUser,
           form: CheckedForm) -> Response:
    refunds.decide(actor=user, refund_id=_bounded(refund_id),
                   approve=decision == "approve", note=text(form, "note", 255) or None)
    return redirect(request, "/supplier")


@router.post("/supplier/skus/{sku_id}/stock")
def adjust_stock(request: Request, sku_id: int, user: SupplierUser,
                 form: CheckedForm) -> Response:
    catalog_services.adjust_stock(actor=user, sku_id=_bounded(sku_id),
                                  delta=number(form, "delta"),
                                  idempotency_key=text(form, "key", 64) or None)
    return redirect(request, "/supplier")


@router.get("/supplier/campaigns")
def campaigns_page(request: Request, user: SupplierUser, kind: str = "",
                   status: str = "") -> Response:
    return campaign_console.show(request, user, path="/supplier/campaigns", kind=kind,
                                 status=status)


@router.post("/supplier/campaigns/{kind}")
def create_campaign(request: Request, kind: str, user: SupplierUser,
                    form: CheckedForm) -> Response:
    return campaign_console.create(request, user, path="/supplier/campaigns", kind=kind,
                                   form=form)


def _bounded(value: int) -> int:
    if not 1 <= value <= 2_147_483_647:
        raise NotFound("没有这条记录。")
    return value
