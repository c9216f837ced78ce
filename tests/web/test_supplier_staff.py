"""An operator creates a supplier's staff account from the console; the new staff signs
in to that supplier's console. A refused form keeps what was typed and creates nobody."""

from sqlalchemy import func, select

from quanzi.accounts.models import User
from quanzi.core.db import read_session
from tests.factories import make_supplier, make_user
from tests.web.helpers import form_post, sign_in

PAGE = "/operator/suppliers"
GOOD_PASSWORD = "Qz-staff-2026!"


def _users() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count(User.id))) or 0)


def test_an_operator_creates_a_staff_account_that_works(client):
    supplier_id = make_supplier("鲜果园")
    sign_in(client, make_user("operator").email)
    made = form_post(client, PAGE, f"{PAGE}/{supplier_id}/staff",
                     {"name": "仓库阿华", "login": "13800138000", "password": GOOD_PASSWORD})
    assert made.status_code == 303 and made.headers["location"].startswith(
        f"{PAGE}?staff_added={supplier_id}")
    page = client.get(f"{PAGE}?staff_added={supplier_id}").text
    assert 'data-testid="staff-added"' in page and "仓库阿华 138****8000" in page
    with read_session() as session:
        staff = session.scalars(select(User).where(User.phone == "13800138000")).one()
    assert staff.roles == ["consumer", "supplier"] and staff.supplier_id == supplier_id
    client.cookies.clear()
    sign_in(client, "13800138000", GOOD_PASSWORD)
    assert client.get("/supplier").status_code == 200


def test_a_refused_staff_form_keeps_what_was_typed_and_creates_nobody(client):
    supplier_id = make_supplier("鲜果园")
    sign_in(client, make_user("operator").email)
    before = _users()
    for fields, status, field, says in (
            ({"name": "阿华", "login": "12345", "password": GOOD_PASSWORD}, 422, "login",
             "手机号或邮箱"),
            ({"name": "阿华", "login": "13800138000", "password": "short"}, 422, "password",
             "初始密码"),
            ({"name": "阿华", "login": "13800138000", "password": "password123"}, 422,
             "password", "密码")):
        refused = form_post(client, PAGE, f"{PAGE}/{supplier_id}/staff", fields)
        assert refused.status_code == status, fields
        shown = f'id="staff{supplier_id}-{field}-error"'
        assert shown in refused.text and says in refused.text.split(shown)[1][:300]
        assert f'value="{fields["login"]}"' in refused.text and fields["password"] not in \
            refused.text.split(f'data-testid="staff-form-{supplier_id}"')[1]
    assert _users() == before
    taken = make_user("supplier", supplier_id=supplier_id)
    refused = form_post(client, PAGE, f"{PAGE}/{supplier_id}/staff",
                        {"name": "阿华", "login": taken.email, "password": GOOD_PASSWORD})
    assert refused.status_code == 409 and _users() == before + 1
    unknown = form_post(client, PAGE, f"{PAGE}/99999/staff",
                        {"name": "阿华", "login": "13900139000", "password": GOOD_PASSWORD})
    assert unknown.status_code == 404 and _users() == before + 1


def test_only_operators_create_staff(client):
    supplier_id = make_supplier("鲜果园")
    sign_in(client, make_user("supplier", supplier_id=supplier_id).email)
    refused = form_post(client, "/supplier", f"{PAGE}/{supplier_id}/staff",
                        {"name": "阿华", "login": "13800138000", "password": GOOD_PASSWORD})
    assert refused.status_code == 403
