"""The operator console's suppliers (the ``/suppliers`` API as pages): list, create, edit
the name and the platform fee, entered as a percentage (``fee_pct``: 5 or 5.5; a
``fee_bp`` post still reads, in basis points). A refused form is shown again as typed,
each reason under its field."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.accounts import services as accounts
from quanzi.catalog import queries as catalog
from quanzi.catalog import services
from quanzi.catalog.schemas import SupplierCreate, SupplierUpdate
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, NotFound
from quanzi.web.kit import i18n
from quanzi.web.kit.form_errors import FieldErrors, by_field
from quanzi.web.kit.pages import CheckedForm, OperatorUser, PageRoute, redirect, render, text
from quanzi.web.kit.percent import bp_from_percent, percent_of
from quanzi.web.kit.refusals import say

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/operator/suppliers"
LABELS = {"name": "供货商名称", "fee_bp": "平台服务费（%）"}
NAMES = {"fee_bp": "fee_pct"}  # schema field → the form's
NOT_A_PERCENT = "平台服务费（%）：请填写百分比，最多两位小数，如 5 或 5.5"


class NotAPercent(ValueError):
    """The fee typed is not a percentage."""


@router.get(PAGE)
def suppliers_page(request: Request, _: OperatorUser, staff_added: int = 0) -> Response:
    return page(request, values={}, errors={}, staff_added=staff_added)


def page(request: Request, *, values: dict[str, str], errors: FieldErrors,
         editing: int = 0, status_code: int = 200, staff_added: int = 0, staff_for: int = 0,
         staff_values: dict[str, str] | None = None,
         staff_errors: FieldErrors | None = None) -> Response:
    """The suppliers with their staff. ``values`` and ``errors`` refill the new supplier's
    form, or the one of the supplier ``editing``; ``staff_for`` is the supplier whose staff
    form is refilled with ``staff_values`` and ``staff_errors`` (``supplier_staff.py``)."""
    with read_session() as session:
        items = catalog.list_suppliers(session)
        staff = accounts.staff_of(session, [s.id for s in items])
    return render(request, "operator/suppliers.html", {
        "items": items, "values": values, "errors": errors, "editing": editing,
        "labels": LABELS, "staff": staff, "staff_added": staff_added, "staff_for": staff_for,
        "staff_values": staff_values or {}, "staff_errors": staff_errors or {}},
        status_code=status_code)


def _values(form: FormData) -> dict[str, str]:
    """What was typed: the name and the fee as a percentage (a basis-point post converted)."""
    fee = text(form, "fee_pct", 12)
    bp = text(form, "fee_bp", 12)
    if not fee and bp.isascii() and bp.isdigit() and len(bp) < 10:
        fee = percent_of(int(bp))
    return {"name": text(form, "name", 120), "fee_pct": fee}


def _fields(values: dict[str, str]) -> dict[str, Any]:
    """The schema's fields; an empty fee is left out (the default, or unchanged)."""
    fields: dict[str, Any] = {"name": values["name"]}
    try:
        fee_bp = bp_from_percent(values["fee_pct"])
    except ValueError as exc:
        raise NotAPercent(values["fee_pct"]) from exc
    if fee_bp is not None:
        fields["fee_bp"] = fee_bp
    return fields


def _refusal(request: Request, values: dict[str, str],
             save: Callable[[dict[str, Any]], object]) -> tuple[FieldErrors, int] | None:
    """Save the typed ``values``; None when saved, else the reasons by field and a status."""
    lang = i18n.negotiate(request)
    try:
        save(_fields(values))
    except NotAPercent:
        return {"fee_pct": i18n.gettext_for(lang)(NOT_A_PERCENT)}, 422
    except ValidationError as exc:
        return by_field(exc, LABELS, lang=lang, names=NAMES), 422
    except Conflict as exc:
        return {"name": say(exc, lang)}, 409
    return None


@router.post(PAGE)
def create(request: Request, _: OperatorUser, form: CheckedForm) -> Response:
    values = _values(form)
    refused = _refusal(request, values, lambda fields: services.create_supplier(
        data=SupplierCreate.model_validate(fields)))
    if refused:
        return page(request, values=values, errors=refused[0], status_code=refused[1])
    return redirect(request, PAGE)


@router.post(PAGE + "/{supplier_id}")
def update(request: Request, supplier_id: int, _: OperatorUser, form: CheckedForm) -> Response:
    if not 1 <= supplier_id <= 2_147_483_647:
        raise NotFound("没有这个供货商。")
    values = _values(form)
    refused = _refusal(request, values, lambda fields: services.update_supplier(
        supplier_id=supplier_id, data=SupplierUpdate.model_validate(fields)))
    if refused:
        return page(request, values=values, errors=refused[0], editing=supplier_id,
                    status_code=refused[1])
    return redirect(request, PAGE)
