"""The operator's 全部订单 and the supplier's 订单记录: who may look, status tabs, paging,
and refusals of a bad status, cursor or page size."""

import re
from zoneinfo import ZoneInfo

from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import make_user
from tests.web.helpers import sign_in
from tests.web.order_data import order, shop

ALL = "/operator/orders"
MINE = "/supplier/orders"


def shown(html: str) -> list[int]:
    """Order ids listed on a page, in page order."""
    return [int(n) for n in re.findall(r'data-testid="order-(\d+)"', html)]


def shanghai_time(order_id: int) -> str:
    with read_session() as session:
        created = session.get_one(Order, order_id).created_at
    return created.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def next_link(html: str) -> str | None:
    match = re.search(r'href="([^"]+)" data-testid="next-page"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_operators_see_every_order_with_buyer_supplier_total_time_and_link(client):
    tea, fruit = shop("茶园"), shop("果园")
    first = order(tea, "paid", buyer=make_user(name="王小二"))
    second = order(fruit, "pending_payment", buyer=make_user(name="李四"), quantity=2)
    sign_in(client, make_user("operator").email)
    page = client.get(ALL)
    assert page.status_code == 200
    assert shown(page.text) == [second, first]  # newest first
    row = page.text.split(f'data-testid="order-{first}"')[1].split("</li>")[0]
    assert f'href="/orders/{first}"' in row and "¥30.00" in row and "待发货" in row
    assert "王小二" in row and "茶园" in row and shanghai_time(first) in row
    assert "¥60.00" in page.text and "李四" in page.text and "果园" in page.text
    assert 'href="/operator/orders">全部订单' in page.text  # the operator nav
    assert client.get(f"/orders/{first}").status_code == 200  # the link opens


def test_status_tabs_filter_the_list(client):
    at = shop("茶园")
    ids = {state: order(at, state) for state in ("pending_payment", "paid", "cancelled",
                                                  "delivered", "refunded")}
    sign_in(client, make_user("operator").email)
    for state, order_id in ids.items():
        assert shown(client.get(f"{ALL}?status={state}").text) == [order_id], state
    assert shown(client.get(f"{ALL}?status=completed").text) == []
    assert "没有符合条件的订单" in client.get(f"{ALL}?status=completed").text
    tabs = client.get(f"{ALL}?status=paid").text.split('data-testid="status-tabs"')[1]
    assert 'class="chip chip--on" href="/operator/orders?status=paid">待发货' in tabs
    for label in ("全部", "待付款", "已发货", "已送达", "已完成", "已取消", "已退款", "待付尾款"):
        assert f">{label}</a>" in tabs
    assert sorted(shown(client.get(ALL).text)) == sorted(ids.values())


def test_paging_follows_next_cursor_and_keeps_the_filter(client):
    at = shop("茶园")
    paid = [order(at, "paid") for _ in range(3)]
    order(at, "pending_payment")
    sign_in(client, make_user("operator").email)
    first = client.get(f"{ALL}?status=paid&limit=2").text
    assert shown(first) == [paid[2], paid[1]]
    link = next_link(first)
    assert link and "status=paid" in link and "limit=2" in link and "cursor=" in link
    second = client.get(link).text
    assert shown(second) == [paid[0]] and next_link(second) is None
    default_size = client.get(ALL).text
    assert len(shown(default_size)) == 4 and next_link(default_size) is None


def test_a_bad_status_cursor_or_page_size_is_a_422_page(client):
    order(shop("茶园"), "paid")
    sign_in(client, make_user("operator").email)
    bad_status = client.get(f"{ALL}?status=lost")
    assert bad_status.status_code == 422 and "没有这个订单状态" in bad_status.text
    for cursor in ("garbage", "bzk5OTk5OTk5OTk5OTk5", "x" * 200):
        bad_cursor = client.get(f"{ALL}?cursor={cursor}")
        assert bad_cursor.status_code == 422, cursor
        assert "翻页参数无效" in bad_cursor.text
    nul = client.get(f"{ALL}?cursor=%00")  # refused before the page (api/nul_guard.py)
    assert nul.status_code == 422 and "提交的内容里有无效的字符" in nul.text
    for limit in ("0", "101", "abc", "-1", "9" * 30):
        assert client.get(f"{ALL}?limit={limit}").status_code == 422, limit
    assert client.get(f"{MINE}?status=DROP").status_code == 422


def test_only_operators_see_all_orders(client):
    at = shop("茶园")
    order(at, "paid")
    signed_out = client.get(ALL, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    sign_in(client, make_user().email)
    refused = client.get(ALL)
    assert refused.status_code == 403 and "没有权限" in refused.text
    assert client.get(MINE).status_code == 403
    sign_in(client, at.staff.email)
    assert client.get(ALL).status_code == 403


def test_suppliers_see_their_own_orders_in_every_state_and_no_one_elses(client):
    tea, fruit = shop("茶园"), shop("果园")
    states = ("paid", "shipped", "delivered", "completed", "cancelled", "refunded", "settled")
    mine = {state: order(tea, state) for state in states}
    theirs = order(fruit, "completed")
    sign_in(client, tea.staff.email)
    page = client.get(MINE)
    assert page.status_code == 200
    assert sorted(shown(page.text)) == sorted(mine.values()) and theirs not in shown(page.text)
    assert "供货商: " not in page.text  # one supplier: no supplier column
    assert 'href="/supplier/orders">订单记录' in client.get("/supplier").text
    assert shown(client.get(f"{MINE}?status=completed").text) == [mine["settled"],
                                                                  mine["completed"]]
    assert shown(client.get(f"{MINE}?status=refunded").text) == [mine["refunded"]]
    assert client.get(f"/orders/{mine['cancelled']}").status_code == 200
    assert client.get(f"/orders/{theirs}").status_code == 404


def test_supplier_paging_and_operators_see_every_suppliers_orders(client):
    tea, fruit = shop("茶园"), shop("果园")
    ours = [order(tea, "completed") for _ in range(3)]
    theirs = order(fruit, "paid")
    sign_in(client, tea.staff.email)
    first = client.get(f"{MINE}?limit=2").text
    assert shown(first) == [ours[2], ours[1]]
    assert shown(client.get(next_link(first) or "").text) == [ours[0]]
    sign_in(client, make_user("operator").email)
    everyone = client.get(MINE).text
    assert shown(everyone) == [theirs, *reversed(ours)] and "果园" in everyone
