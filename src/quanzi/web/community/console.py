"""The batch console of suppliers (/supplier/batches, their own batches; operators may
open it too) and operators (/operator/batches, every batch): create a batch, its state,
the leader's rate while it sells, the pick list and dispatch notes (printable and CSV)
after the cut-off, 发货 (dispatch). Operators also decide leaders' applications
(/operator/leaders)."""

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import ProductOut
from quanzi.community import batches, domain, leaders, queries
from quanzi.community.schemas import BatchOut, DispatchNote, PickList
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidTransition, NotFound, QuanziError
from quanzi.web.community import forms
from quanzi.web.community.csv_out import csv_response
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import (
    CheckedForm,
    OperatorUser,
    PageRoute,
    SupplierUser,
    redirect,
    render,
    text,
)
from quanzi.web.kit.percent import bp_from_percent

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MAX_ID = 2_147_483_647
PRODUCT_LIMIT = 100
BATCH_LIMIT = 200  # the batches a console lists: those not closed first, newest first
SUPPLIER, OPERATOR = "/supplier/batches", "/operator/batches"


def _id(raw: int) -> int:
    if not 1 <= raw <= MAX_ID:
        raise NotFound("没有这一期团购。")
    return raw


def _scope(user: Identity, console: str) -> int | None:
    """Whose batches the console shows: None (all) on the operators' console."""
    if console == OPERATOR or user.is_operator:
        return None
    return user.supplier_id or 0


def _products(session: Session, user: Identity, scope: int | None) -> list[ProductOut]:
    if scope == 0:
        return []
    filters = ProductFilter(supplier_id=scope, include_off_shelf=False)
    return catalog.list_products(session, filters, limit=PRODUCT_LIMIT, viewer=user).items


def show(request: Request, user: Identity, console: str, *,
         values: dict[str, str] | None = None, problems: forms.Problems | None = None,
         error: str | None = None, status: int = 200) -> Response:
    scope = _scope(user, console)
    with read_session() as session:
        listed = queries.seller_batches(session, scope, limit=BATCH_LIMIT)
        products = _products(session, user, scope)
    return render(request, "community/console.html", {
        "console": console, "batches": listed, "products": products,
        "values": values or forms.batch_defaults(clock.now()), "problems": problems or {},
        "error": error, "rows": range(1, forms.ITEM_ROWS + 1),
        "created": request.query_params.get("created", "")[:12],
        "selling": domain.RATE_CHANGEABLE}, status_code=status)


def create(request: Request, user: Identity, console: str, form: CheckedForm) -> Response:
    values = forms.values_of(form, forms.BATCH_FIELDS)
    made, problems = forms.batch(values)
    if made is None:
        return show(request, user, console, values=values, problems=problems, status=422)
    try:
        out = batches.create_batch(actor=user, data=made)
    except QuanziError as exc:
        return show(request, user, console, values=values, status=exc.status,
                    error=refusals.say(exc, i18n.negotiate(request)))
    return redirect(request, f"{console}?created={out.id}")


@router.get(SUPPLIER)
def supplier_console(request: Request, user: SupplierUser) -> Response:
    return show(request, user, SUPPLIER)


@router.get(OPERATOR)
def operator_console(request: Request, user: OperatorUser) -> Response:
    return show(request, user, OPERATOR)


@router.post(SUPPLIER)
def supplier_create(request: Request, user: SupplierUser, form: CheckedForm) -> Response:
    return create(request, user, SUPPLIER, form)


@router.post(OPERATOR)
def operator_create(request: Request, user: OperatorUser, form: CheckedForm) -> Response:
    return create(request, user, OPERATOR, form)


def _console(raw: str) -> str:
    if raw not in ("supplier", "operator"):
        raise NotFound("没有这个页面。")
    return f"/{raw}/batches"


def _allowed(user: Identity, console: str) -> None:
    if console == OPERATOR and not user.is_operator:
        raise NotFound("没有这个页面。")


@router.post("/{room}/batches/{batch_id}/dispatch")
def dispatch(request: Request, room: str, batch_id: int, user: SupplierUser,
             _: CheckedForm) -> Response:
    """发货: the goods leave for the points (cut_off → dispatched)."""
    console = _console(room)
    _allowed(user, console)
    batches.dispatch(actor=user, batch_id=_id(batch_id))
    return redirect(request, console)


@router.post("/{room}/batches/{batch_id}/leader-rate")
def leader_rate(request: Request, room: str, batch_id: int, user: SupplierUser,
                form: CheckedForm) -> Response:
    """A new leader's rate (a percentage) for the orders placed from now on."""
    console = _console(room)
    _allowed(user, console)
    try:
        rate = bp_from_percent(text(form, "rate_pct", 12))
    except ValueError:
        rate = None
    if rate is None:
        return show(request, user, console, error="须为百分比，如 8 或 8.5", status=422)
    batches.change_rate(actor=user, batch_id=_id(batch_id), rate_bps=rate)
    return redirect(request, console)


def _pick(user: Identity, batch_id: int) -> tuple[BatchOut, PickList, list[DispatchNote]]:
    with read_session() as session:
        batch = batches.seller_batch(session, user, _id(batch_id))
        if batch.status in domain.SELLING:
            raise InvalidTransition("batch", batch.status, "make the pick list of")
        return (batches.batch_out(session, batch), queries.pick_list(session, batch),
                queries.dispatch_notes(session, batch))


@router.get("/{room}/batches/{batch_id}/pick-list")
def pick_list(request: Request, room: str, batch_id: int, user: SupplierUser) -> Response:
    """集单: units per SKU and per point, and each point's dispatch note; printable."""
    console = _console(room)
    _allowed(user, console)
    batch, picks, notes = _pick(user, batch_id)
    return render(request, "community/pick_list.html", {
        "console": console, "batch": batch, "pick": picks, "notes": notes,
        "csv": f"{console}/{batch_id}/pick-list.csv"})


@router.get("/{room}/batches/{batch_id}/pick-list.csv")
def pick_list_csv(room: str, batch_id: int, user: SupplierUser) -> Response:
    _allowed(user, _console(room))
    _, picks, _notes = _pick(user, batch_id)
    rows: list[list[object]] = [["合计", "", item.sku_id, item.title, item.spec, item.quantity]
                                for item in picks.items]
    rows += [[point.pickup_point_id, point.name, item.sku_id, item.title, item.spec,
              item.quantity] for point in picks.points for item in point.items]
    return csv_response(f"pick-list-{batch_id}.csv",
                        ["自提点编号", "自提点", "规格编号", "商品", "规格", "数量"], rows)


@router.get("/operator/leaders")
def applications(request: Request, _: OperatorUser, status: str = "pending") -> Response:
    """团长审核: applications with the point each describes."""
    status = status if status in ("pending", "approved", "rejected") else "pending"
    with read_session() as session:
        items = queries.applications(session, status)
    return render(request, "community/leaders.html", {"items": items, "status": status})


@router.post("/operator/leaders/{application_id}/{decision}")
def decide(request: Request, application_id: int, decision: str, user: OperatorUser,
           form: CheckedForm) -> Response:
    """通过 (the applicant becomes a leader, the point goes live) or 拒绝 with a reason."""
    if decision == "approve":
        leaders.approve(operator_id=user.id, application_id=_id(application_id))
    elif decision == "reject":
        leaders.reject(operator_id=user.id, application_id=_id(application_id),
                       reason=text(form, "reason", 255) or "不符合要求")
    else:
        raise NotFound("没有这个操作。")
    return redirect(request, "/operator/leaders")
