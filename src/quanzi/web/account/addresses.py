"""收货地址: my delivery addresses — list, add (the API's validation, errors in the form;
the region from the 省/市/区 picker or typed), make default, delete, and 智能填写's
reading of a pasted address. ``next`` brings the buyer back to checkout after adding one."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from quanzi.accounts import address_parsing
from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.web.account.auth import safe_next
from quanzi.web.kit import address_form
from quanzi.web.kit.form_errors import Problem, problems
from quanzi.web.kit.pages import CheckedForm, PageRoute, SignedIn, redirect, render, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/me/addresses"
FIELDS = {"name": "收货人", "phone": "手机号", "region": "所在地区", "detail": "详细地址"}


@router.get(PAGE)
def addresses_page(request: Request, user: SignedIn, next: str = "") -> Response:
    return _page(request, user.id, values={}, errors=[], back=_back(next))


def _back(target: str) -> str:
    """Where to return after adding: a local page, else nowhere ('')."""
    return safe_next(target[:300]) if target else ""


def _page(request: Request, user_id: int, *, values: dict[str, str], errors: list[Problem],
          back: str, status_code: int = 200) -> Response:
    with read_session() as session:
        items = accounts.list_addresses(session, user_id)
    return render(request, "accounts/addresses.html", {
        "items": items, "values": values, "errors": errors, "fields": FIELDS, "back": back},
        status_code=status_code)


@router.post(PAGE)
def add(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Add an address; a refused one is shown again with the reasons and nothing is saved."""
    values = address_form.typed(form)
    back = _back(text(form, "next", 300))
    try:
        data = AddressIn.model_validate({**values, "region_code": values["region_code"] or None,
                                         "is_default": form.get("is_default") == "on"})
    except ValidationError as exc:
        return _page(request, user.id, values=values, errors=problems(exc, FIELDS), back=back,
                     status_code=422)
    accounts.add_address(user.id, data)
    return redirect(request, back or PAGE)


@router.post(PAGE + "/parse")
def parse(user: SignedIn, form: CheckedForm) -> Response:
    """智能填写 (static/address.js): the fields read from the pasted ``text``, as JSON."""
    found = address_parsing.guess(text(form, "text", address_parsing.MAX_TEXT))
    return JSONResponse(found.model_dump())


@router.post(PAGE + "/{address_id}/default")
def make_default(request: Request, address_id: int, user: SignedIn,
                 _: CheckedForm) -> Response:
    accounts.set_default_address(user.id, _bounded(address_id))
    return redirect(request, PAGE)


@router.post(PAGE + "/{address_id}/delete")
def delete(request: Request, address_id: int, user: SignedIn, _: CheckedForm) -> Response:
    accounts.delete_address(user.id, _bounded(address_id))
    return redirect(request, PAGE)


def _bounded(value: int) -> int:
    if not 1 <= value <= 2_147_483_647:
        raise NotFound("没有这个地址。")
    return value
