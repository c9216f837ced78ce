"""The operator's after-sales refund (售后退款) from the order page: the refund, once on a
double submit, refusals shown on the page with nothing changed, and the ledger balanced."""

import re

from sqlalchemy import select

from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account
from quanzi.orders.models import Order, Refund
from tests.factories import make_user
from tests.web.helpers import csrf_of, sign_in
from tests.web.order_data import order, shop

FORM = 'data-testid="after-sales"'


def line_of(order_id: int) -> int:
    with read_session() as session:
        return session.get_one(Order, order_id).lines[0].id


def form_of(client, order_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The CSRF token and the idempotency key of the order page's after-sales form."""
    html = client.get(f"/orders/{order_id}").text
    assert FORM in html
    block = html.split(FORM)[1]
    key = re.search(r'name="key" value="([^"]+)"', block)
    assert key
    return {"csrf_token": csrf_of(block), "key": key.group(1)}


def post(client, order_id: int, fields: dict[str, object], form=None):  # type: ignore[no-untyped-def]
    form = form or form_of(client, order_id)
    return client.post(f"/orders/{order_id}/after-sales-refunds", data={**form, **fields},
                       follow_redirects=False)


def refunds_of(order_id: int) -> list[tuple[str, int]]:
    with read_session() as session:
        return [(r.status, r.amount_fen) for r in session.scalars(
            select(Refund).where(Refund.order_id == order_id).order_by(Refund.id))]


def books() -> dict[str, object]:
    """The trial balance, after checking that every journal entry sums to zero."""
    with read_session() as session:
        assert ledger.unbalanced_entries(session) == []
        balance = ledger.trial_balance(session)
    assert balance["total_debits_fen"] == balance["total_credits_fen"]
    return {a["account"]: a["balance_fen"] for a in balance["accounts"]}  # type: ignore[attr-defined]


def test_an_operator_refunds_part_of_a_shipped_order_and_it_shows(client):
    at = shop("茶园")
    order_id = order(at, "shipped", quantity=3)
    sign_in(client, make_user("operator").email)
    done = post(client, order_id, {f"qty_{line_of(order_id)}": "2", "reason": "破损"})
    assert done.status_code == 303 and done.headers["location"] == f"/orders/{order_id}"
    assert refunds_of(order_id) == [("refunded", 6000)]
    with read_session() as session:
        placed = session.get_one(Order, order_id)
        assert (placed.status, placed.refunded_fen) == ("shipped", 6000)
    page = client.get(f"/orders/{order_id}").text
    assert "退款记录" in page and "破损" in page and "¥60.00" in page and "已退 2" in page
    assert 'name="qty_' in page.split(FORM)[1] and "可退 1" in page
    accounts = books()
    assert accounts["escrow"] == 3000 and accounts["external"] == -3000


def test_after_settlement_the_refund_comes_back_from_the_supplier_and_books_balance(client):
    at = shop("茶园")
    order_id = order(at, "settled", quantity=2)
    payable = books()[supplier_account(at.supplier_id)]
    assert payable > 0
    sign_in(client, make_user("operator").email)
    done = post(client, order_id, {f"qty_{line_of(order_id)}": "2", "reason": "质量问题"})
    assert done.status_code == 303
    assert refunds_of(order_id) == [("refunded", 6000)]
    page = client.get(f"/orders/{order_id}").text
    assert 'data-testid="order-status">已退款' in page and FORM not in page
    accounts = books()
    assert accounts[supplier_account(at.supplier_id)] == 0 and accounts["external"] == 0


def test_a_double_submit_refunds_once(client):
    order_id = order(shop("茶园"), "delivered", quantity=3)
    sign_in(client, make_user("operator").email)
    form = form_of(client, order_id)
    fields = {f"qty_{line_of(order_id)}": "1", "reason": "少发一件"}
    first, again = post(client, order_id, fields, form), post(client, order_id, fields, form)
    assert first.status_code == again.status_code == 303
    assert refunds_of(order_id) == [("refunded", 3000)]
    with read_session() as session:
        assert session.get_one(Order, order_id).refunded_fen == 3000
    books()
    other = post(client, order_id, {**fields, f"qty_{line_of(order_id)}": "2"}, form)
    assert other.status_code == 422 and "这个表单已经提交过" in other.text
    assert refunds_of(order_id) == [("refunded", 3000)]


def test_refusals_show_the_order_page_with_the_reason_and_change_nothing(client):
    at = shop("茶园")
    order_id = order(at, "shipped", quantity=2)
    line = f"qty_{line_of(order_id)}"
    sign_in(client, make_user("operator").email)
    too_many = post(client, order_id, {line: "3", "reason": "破损"})
    assert too_many.status_code == 422 and "数量超出可退数量" in too_many.text
    assert f'{FORM} open' in too_many.text and 'value="破损"' in too_many.text
    assert f'name="{line}" value="3"' in too_many.text
    assert 'data-testid="order-status">已发货' in too_many.text
    nothing = post(client, order_id, {line: "0", "reason": "破损"})
    assert nothing.status_code == 422 and "请至少选择一件要退款的商品" in nothing.text
    garbage = post(client, order_id, {line: "-1", "reason": "破损"})
    assert garbage.status_code == 422 and "须为不小于 0 的整数" in garbage.text
    no_reason = post(client, order_id, {line: "1", "reason": ""})
    assert no_reason.status_code == 422 and "退款原因：必填" in no_reason.text
    no_key = post(client, order_id, {line: "1", "reason": "破损", "key": ""})
    assert no_key.status_code == 422 and "页面已过期" in no_key.text
    not_in_order = post(client, order_id, {"qty_999999": "1", "reason": "破损"})
    assert not_in_order.status_code == 422 and "商品不在这个订单里" in not_in_order.text
    no_csrf = client.post(f"/orders/{order_id}/after-sales-refunds",
                          data={line: "1", "reason": "破损", "key": "k"})
    assert no_csrf.status_code == 403
    assert refunds_of(order_id) == []
    books()


def test_a_refund_in_the_wrong_state_is_refused_and_the_form_is_not_offered(client):
    at = shop("茶园")
    unpaid, cancelled = order(at, "pending_payment"), order(at, "cancelled")
    sign_in(client, make_user("operator").email)
    for order_id in (unpaid, cancelled):
        page = client.get(f"/orders/{order_id}").text
        assert FORM not in page
        refused = post(client, order_id, {f"qty_{line_of(order_id)}": "1", "reason": "x"},
                       {"csrf_token": csrf_of(page), "key": f"k{order_id}"})
        assert refused.status_code == 409 and "这个订单当前的状态不能退款" in refused.text
        assert refunds_of(order_id) == []
    assert client.post("/orders/99999999999/after-sales-refunds",
                       data={"csrf_token": csrf_of(page)}).status_code == 404


def test_only_operators_get_the_form_and_may_post_it(client):
    at = shop("茶园")
    buyer = make_user()
    order_id = order(at, "shipped", buyer=buyer)
    fields = {f"qty_{line_of(order_id)}": "1", "reason": "我想退", "key": "k1"}
    for person in (buyer, at.staff):
        sign_in(client, person.email)
        page = client.get(f"/orders/{order_id}").text
        assert FORM not in page
        refused = post(client, order_id, fields, {"csrf_token": csrf_of(page)})
        assert refused.status_code == 403
    client.cookies.clear()
    signed_out = post(client, order_id, fields, {"csrf_token": "x"})
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    assert refunds_of(order_id) == []
