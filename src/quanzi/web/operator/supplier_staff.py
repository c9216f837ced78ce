"""Supplier staff accounts made from the operator console (what ``quanzi user create
--role supplier --supplier-id N`` does, through ``provisioning.create_with_role``).

The operator gives a name, a login (a mainland mobile number or an e-mail) and a first
password to hand over; a refused form comes back under that supplier with the values
entered (never the password) and the reasons, nothing created.
"""

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from quanzi.accounts.domain import looks_like_email
from quanzi.accounts.schemas import RegisterIn
from quanzi.core.errors import Conflict, InvalidInput, NotFound
from quanzi.provisioning import create_with_role
from quanzi.web.kit import i18n
from quanzi.web.kit.form_errors import FieldErrors, by_field
from quanzi.web.kit.pages import CheckedForm, OperatorUser, PageRoute, redirect, text
from quanzi.web.kit.refusals import say
from quanzi.web.operator import suppliers

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LABELS = {"name": "员工姓名", "email": "手机号或邮箱", "phone": "手机号或邮箱",
          "": "手机号或邮箱", "password": "初始密码（至少 8 位）"}
NAMES = {"email": "login", "phone": "login", "": "login"}  # schema field → the form's


@router.post(suppliers.PAGE + "/{supplier_id}/staff")
def create_staff(request: Request, supplier_id: int, _: OperatorUser,
                 form: CheckedForm) -> Response:
    if not 1 <= supplier_id <= 2_147_483_647:
        raise NotFound("没有这个供货商。")
    login, name = text(form, "login", 254), text(form, "name", 64)
    values = {"login": login, "name": name}
    key = "email" if looks_like_email(login) else "phone"
    try:
        data = RegisterIn(**{key: login or None}, name=name, password=text(form, "password", 128))
        create_with_role(role="supplier", name=data.name, password=data.password,
                         email=data.email, phone=data.phone, supplier_id=supplier_id)
    except ValidationError as exc:
        found = by_field(exc, LABELS, lang=i18n.negotiate(request), names=NAMES)
        return _refused(request, supplier_id, values, found, 422)
    except (Conflict, InvalidInput) as exc:
        if exc.code == "unknown_supplier":
            raise NotFound("没有这个供货商。") from exc
        reason = say(exc, i18n.negotiate(request))
        field = "password" if exc.code == "weak_password" else "login"
        return _refused(request, supplier_id, values, {field: reason}, exc.status)
    return redirect(request, f"{suppliers.PAGE}?staff_added={supplier_id}#supplier-{supplier_id}")


def _refused(request: Request, supplier_id: int, values: dict[str, str],
             found: FieldErrors, status: int) -> Response:
    return suppliers.page(request, values={}, errors={}, editing=0, staff_for=supplier_id,
                          staff_values=values, staff_errors=found, status_code=status)
