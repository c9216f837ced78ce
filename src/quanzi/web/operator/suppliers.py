"""The operator console's suppliers (the ``/suppliers`` API as pages): list, create, edit
the name and the platform fee. A refused form is shown again with the reasons."""

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
from quanzi.web.kit.form_errors import Problem, problems
from quanzi.web.kit.pages import CheckedForm, OperatorUser, PageRoute, redirect, render, text
from quanzi.web.kit.refusals import say

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/operator/suppliers"
LABELS = {"name": "供货商名称", "fee_bp": "平台服务费（基点，500 = 5%）"}


@router.get(PAGE)
def suppliers_page(request: Request, _: OperatorUser, staff_added: int = 0) -> Response:
    return page(request, values={}, errors=[], staff_added=staff_added)


def page(request: Request, *, values: dict[str, str], errors: list[Problem],
         editing: int = 0, status_code: int = 200, staff_added: int = 0, staff_for: int = 0,
         staff_values: dict[str, str] | None = None,
         staff_errors: list[Problem] | None = None) -> Response:
    """The suppliers with their staff; ``staff_for`` is the supplier whose staff form is
    refilled with ``staff_values`` and ``staff_errors`` (``web/operator/supplier_staff.py``)."""
    with read_session() as session:
        items = catalog.list_suppliers(session)
        staff = accounts.staff_of(session, [s.id for s in items])
    return render(request, "operator/suppliers.html", {
        "items": items, "values": values, "errors": errors, "editing": editing,
        "labels": LABELS, "staff": staff, "staff_added": staff_added, "staff_for": staff_for,
        "staff_values": staff_values or {}, "staff_errors": staff_errors or []},
        status_code=status_code)


def _fields(form: FormData) -> dict[str, Any]:
    """The form's name and fee; an empty fee is left out (the default, or unchanged)."""
    fields: dict[str, Any] = {"name": text(form, "name", 120)}
    fee = text(form, "fee_bp", 12)
    if fee:
        fields["fee_bp"] = fee
    return fields


def _refused(exc: Conflict) -> list[Problem]:
    return [(LABELS["name"], say(exc))]


@router.post(PAGE)
def create(request: Request, _: OperatorUser, form: CheckedForm) -> Response:
    values = {k: str(v) for k, v in _fields(form).items()}
    try:
        services.create_supplier(data=SupplierCreate.model_validate(_fields(form)))
    except ValidationError as exc:
        return page(request, values=values, errors=problems(exc, LABELS), status_code=422)
    except Conflict as exc:
        return page(request, values=values, errors=_refused(exc), status_code=409)
    return redirect(request, PAGE)


@router.post(PAGE + "/{supplier_id}")
def update(request: Request, supplier_id: int, _: OperatorUser, form: CheckedForm) -> Response:
    if not 1 <= supplier_id <= 2_147_483_647:
        raise NotFound("没有这个供货商。")
    try:
        services.update_supplier(supplier_id=supplier_id,
                                 data=SupplierUpdate.model_validate(_fields(form)))
    except ValidationError as exc:
        return page(request, values={}, errors=problems(exc, LABELS), editing=supplier_id,
                     status_code=422)
    except Conflict as exc:
        return page(request, values={}, errors=_refused(exc), editing=supplier_id,
                     status_code=409)
    return redirect(request, PAGE)
