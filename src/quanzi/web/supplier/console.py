"""The supplier console: orders to ship (with the ship form) and to mark delivered, refunds
to approve or reject, products with their stock, campaigns on its SKUs. Operators see every
supplier's."""

import secrets

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.catalog import services as catalog_services
from quanzi.catalog.queries import ProductFilter
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, InvalidInput, NotFound, QuanziError
from quanzi.orders import lifecycle, queries, refunds
from quanzi.orders.schemas import COMMON_CARRIERS, OrderOut, RefundOut
from quanzi.web.campaigns import console as campaign_console
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.form_errors import FieldErrors
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    SupplierUser,
    number,
    redirect,
    render,
    text,
)
from quanzi.web.supplier import shipping

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
    return _console(request, user)


def _console(request: Request, user: SupplierUser, report: shipping.Report | None = None, *,
             errors: FieldErrors | None = None, values: dict[str, str] | None = None,
             status_code: int = 200) -> Response:
    """The console; ``errors`` (by field name: ``tracking_no-<order>``, ``note-<refund>``,
    ``delta-<sku>``) and ``values`` refill the one row whose form was refused. A reason
    whose row is no longer listed (shipped or decided meanwhile) is shown above."""
    filters = ProductFilter(supplier_id=None if user.is_operator else user.supplier_id,
                            include_off_shelf=True)
    with read_session() as session:
        to_ship = _orders(session, user, None, to_ship=True)
        shipped = _orders(session, user, "shipped")
        waiting = open_refunds(session, user)
        products = catalog.list_products(session, filters, limit=LIST_LIMIT, viewer=user).items
    shown = ({f"tracking_no-{o.id}" for o in to_ship} | {f"note-{r.id}" for _, r in waiting}
             | {f"delta-{sku.id}" for p in products for sku in p.skus})
    errors = {(k if k in shown else ""): v for k, v in (errors or {}).items()}
    return render(request, "supplier/console.html", {
        "to_ship": to_ship, "shipped": shipped, "refunds": waiting, "products": products,
        "key": secrets.token_urlsafe(16), "carriers": COMMON_CARRIERS, "report": report,
        "errors": errors, "values": values or {}}, status_code=status_code)


def _refused(request: Request, user: SupplierUser, form: FormData, field: str,
             exc: QuanziError | ValidationError) -> Response:
    """The console again, the refused row as typed and the reason under ``field``."""
    lang = i18n.negotiate(request)
    if isinstance(exc, ValidationError):
        reason, status = refusals.invalid(exc, lang), 422
    else:
        reason, status = refusals.say(exc, lang), exc.status
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    return _console(request, user, errors={field: reason}, values=values, status_code=status)


@router.post("/supplier/orders/{order_id}/ship")
def ship(request: Request, order_id: int, user: SupplierUser, form: CheckedForm) -> Response:
    """One order from the queue (its row's fields, or plain ``carrier``/``tracking_no``)."""
    try:
        lifecycle.ship(actor=user, order_id=_bounded(order_id),
                       data=shipping.ship_in(form, order_id))
    except (InvalidInput, Conflict, ValidationError) as exc:
        return _refused(request, user, form, f"tracking_no-{order_id}", exc)
    return redirect(request, "/supplier")


@router.post("/supplier/orders/ship")
def ship_batch(request: Request, user: SupplierUser, form: CheckedForm) -> Response:
    """The ticked orders of the queue, each its own move: one refused does not stop the
    others; the console comes back with what shipped and why the others did not."""
    return _console(request, user, shipping.ship_ticked(request, user, form))


@router.post("/supplier/orders/{order_id}/deliver")
def deliver(request: Request, order_id: int, user: SupplierUser, _: CheckedForm) -> Response:
    lifecycle.deliver(actor=user, order_id=_bounded(order_id))
    return redirect(request, "/supplier")


@router.post("/supplier/refunds/{refund_id}/{decision}")
def decide(request: Request, refund_id: int, decision: str, user: SupplierUser,
           form: CheckedForm) -> Response:
    try:
        refunds.decide(actor=user, refund_id=_bounded(refund_id),
                       approve=decision == "approve", note=text(form, "note", 255) or None)
    except (InvalidInput, Conflict) as exc:
        return _refused(request, user, form, f"note-{refund_id}", exc)
    return redirect(request, "/supplier")


@router.post("/supplier/skus/{sku_id}/stock")
def adjust_stock(request: Request, sku_id: int, user: SupplierUser,
                 form: CheckedForm) -> Response:
    try:
        catalog_services.adjust_stock(actor=user, sku_id=_bounded(sku_id),
                                      delta=number(form, "delta"),
                                      idempotency_key=text(form, "key", 64) or None)
    except (InvalidInput, Conflict) as exc:
        return _refused(request, user, form, f"delta-{sku_id}", exc)
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
