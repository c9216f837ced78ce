"""The order lists' 售后 tab, search (order id, buyer name or phone) and CSV export."""

import csv
import io

from quanzi.accounts import services as accounts
from quanzi.orders import refunds
from quanzi.orders.schemas import RefundCreate
from tests.factories import PASSWORD, make_user
from tests.web import order_data
from tests.web.helpers import sign_in
from tests.web.test_order_lists import ALL, MINE, shown


def _asked_refund(at: order_data.Shop) -> int:
    buyer = make_user()
    order_id = order_data.order(at, "delivered", buyer=buyer)
    refunds.request_refund(actor=order_data.buyer_actor(buyer), order_id=order_id,
                           idempotency_key=f"r-{order_id}", data=RefundCreate(
                               lines=[{"line_id": order_data._line_of(order_id, buyer),
                                       "quantity": 1}], reason="坏了"))
    return order_id


def test_the_after_sales_tab_lists_orders_with_a_refund_asked_for(client):
    at = order_data.shop("茶园")
    plain, refunded, asked = (order_data.order(at), order_data.order(at, "refunded"),
                              _asked_refund(at))
    sign_in(client, make_user("operator").email)
    page = client.get(f"{ALL}?status=after_sales").text
    assert shown(page) == [asked, refunded] and plain not in shown(page)
    assert 'class="chip chip--on" href="/operator/orders?status=after_sales">售后' in page
    sign_in(client, at.staff.email)
    assert shown(client.get(f"{MINE}?status=after_sales").text) == [asked, refunded]


def test_search_finds_an_order_by_id_buyer_name_or_phone(client):
    at = order_data.shop("茶园")
    wang = accounts.create_user(name="王小二", password=PASSWORD, phone="13800138000")
    li = make_user(name="李四")
    by_wang, by_li = order_data.order(at, buyer=wang), order_data.order(at, buyer=li)
    sign_in(client, make_user("operator").email)
    assert shown(client.get(f"{ALL}?q={by_li}").text) == [by_li]
    assert shown(client.get(f"{ALL}?q=小二").text) == [by_wang]
    assert shown(client.get(f"{ALL}?q=13800138000").text) == [by_wang]
    assert shown(client.get(f"{ALL}?q=8000&status=paid").text) == [by_wang]
    nobody = client.get(f"{ALL}?q=赵六")
    assert shown(nobody.text) == [] and "没有符合条件的订单" in nobody.text
    page = client.get(f"{ALL}?q=小二&status=paid").text
    assert 'href="/operator/orders?status=shipped&amp;q=%E5%B0%8F%E4%BA%8C"' in page
    assert 'value="小二"' in page


def test_csv_export_has_the_tab_and_search_in_chinese_for_excel(client):
    at = order_data.shop("茶园")
    wang = make_user(name="=王小二")
    shipped = order_data.order(at, "shipped", buyer=wang)
    order_data.order(at)
    sign_in(client, make_user("operator").email)
    answer = client.get("/operator/orders.csv?status=shipped")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="orders.csv"' in answer.headers["content-disposition"]
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["订单号", "状态", "金额（元）", "已退款（元）", "买家"]
    assert rows[1][:7] == [str(shipped), "已发货", "30.00", "0.00", "'=王小二", "茶园",
                           "茶园的货 1箱 × 1"]
    assert rows[1][-2:] == ["顺丰", "SF1234567"] and len(rows) == 2
    assert 'href="/operator/orders.csv?status=shipped"' in client.get(f"{ALL}?status=shipped").text
    sign_in(client, at.staff.email)
    assert client.get("/operator/orders.csv").status_code == 403
