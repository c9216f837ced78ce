"""The buyer's order timeline shows the steps that mean something to a buyer; 结算 (the
money moving on to the supplier and promoters) is for the staff only."""

import re

from tests.factories import make_user
from tests.web import order_data
from tests.web.helpers import sign_in


def _steps(html: str) -> list[str]:
    return re.findall(r'<span class="step-label">([^<]+)</span>', html)


def test_the_buyer_sees_no_settlement_and_the_staff_do(client):
    at = order_data.shop("茶园")
    buyer = make_user(name="小王")
    order_id = order_data.order(at, "settled", buyer=buyer)
    sign_in(client, buyer.email)
    assert _steps(client.get(f"/orders/{order_id}").text) == [
        "下单", "付款", "发货", "送达", "确认收货"]
    sign_in(client, at.staff.email)
    assert _steps(client.get(f"/orders/{order_id}").text)[-1] == "结算"
