"""The operator's suppliers and the ledger's trial balance, through the pages."""

import pytest
from sqlalchemy import select

from quanzi.catalog.models import Supplier
from quanzi.core.db import read_session, transaction
from quanzi.ledger import services as ledger
from tests.factories import make_supplier, make_user
from tests.web.helpers import form_post, sign_in

PAGE = "/operator/suppliers"


def suppliers() -> list[tuple[str, int]]:
    with read_session() as session:
        return [(s.name, s.fee_bp) for s in session.scalars(select(Supplier).order_by(Supplier.id))]


def test_create_and_edit_a_supplier(client):
    sign_in(client, make_user("operator").email)
    assert form_post(client, PAGE, PAGE, {"name": "山泉水厂", "fee_pct": "3"}).status_code == 303
    assert form_post(client, PAGE, PAGE, {"name": "默认费率厂"}).status_code == 303
    (first, _), (second, default_fee) = suppliers()
    assert (first, second) == ("山泉水厂", "默认费率厂") and default_fee >= 0
    with read_session() as session:
        supplier_id = session.scalar(select(Supplier.id).where(Supplier.name == "山泉水厂"))
    edited = form_post(client, PAGE, f"{PAGE}/{supplier_id}", {"name": "山泉", "fee_pct": "8.5"})
    assert edited.status_code == 303
    assert suppliers()[0] == ("山泉", 850)
    page = client.get(PAGE).text
    assert "山泉" in page and "服务费 8.5%" in page
    assert 'name="fee_pct" value="8.5"' in page  # the edit form shows a percentage too
    in_bp = form_post(client, PAGE, f"{PAGE}/{supplier_id}", {"name": "山泉", "fee_bp": "600"})
    assert in_bp.status_code == 303 and suppliers()[0] == ("山泉", 600)  # an old post reads


def test_refusals_are_shown_and_change_nothing(client):
    existing = make_supplier("老店", fee_bp=500)
    sign_in(client, make_user("operator").email)
    taken = form_post(client, PAGE, PAGE, {"name": "老店"})
    assert taken.status_code == 409 and "已有同名供货商" in taken.text
    assert 'id="name-error"' in taken.text
    bad_fee = form_post(client, PAGE, PAGE, {"name": "新店", "fee_pct": "200"})
    assert bad_fee.status_code == 422 and "超出允许的范围" in bad_fee.text
    assert 'id="fee_pct-error"' in bad_fee.text
    assert 'value="新店"' in bad_fee.text and 'value="200"' in bad_fee.text
    not_a_number = form_post(client, PAGE, PAGE, {"name": "新店", "fee_pct": "五"})
    assert not_a_number.status_code == 422 and "请填写百分比" in not_a_number.text
    empty = form_post(client, PAGE, f"{PAGE}/{existing}", {"name": "", "fee_pct": "1"})
    assert empty.status_code == 422 and "供货商名称：必填" in empty.text
    assert f'id="s{existing}-name-error"' in empty.text
    assert client.post(PAGE, data={"name": "无令牌"}).status_code == 403
    assert suppliers() == [("老店", 500)]


def test_only_operators_manage_suppliers(client):
    supplier_id = make_supplier("甲")
    sign_in(client, make_user("supplier", supplier_id=supplier_id).email)
    assert client.get(PAGE).status_code == 403
    assert client.get("/operator/ledger").status_code == 403
    assert form_post(client, "/supplier", f"{PAGE}/{supplier_id}",
                     {"name": "改名"}).status_code == 403
    assert suppliers() == [("甲", 500)]


@pytest.mark.ledger_unchecked  # a payment with no order behind it
def test_trial_balance_page_lists_accounts_and_says_it_balances(client):
    with transaction() as session:
        ledger.post(session, kind="payment", ref="t:1", dedupe_key="t:1",
                    postings=[("external", -12345), ("escrow", 12345)], memo="test")
    sign_in(client, make_user("operator").email)
    page = client.get("/operator/ledger").text
    assert 'data-testid="balanced"' in page and 'data-testid="unbalanced"' not in page
    assert 'data-testid="debits">¥123.45' in page and 'data-testid="credits">¥123.45' in page
    assert 'data-testid="account-escrow"' in page and "-¥123.45" in page
    english = client.get("/operator/ledger", headers={"Accept-Language": "en"}).text
    assert "Trial balance" in english and "Total debits" in english
