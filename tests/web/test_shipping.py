"""The supplier's shipping queue: a 快递公司 list, tracking numbers as people type them,
and batch shipping where each ticked order moves on its own and the console reports."""

import pytest
from pydantic import ValidationError

from quanzi.core.db import read_session
from quanzi.orders import lifecycle
from quanzi.orders.models import Order
from quanzi.orders.schemas import ShipIn
from tests.web import order_data
from tests.web.helpers import form_post, sign_in


@pytest.mark.parametrize(("typed", "stored"), [
    ("SF1234567890", "SF1234567890"), (" sf 1234 5678 90 ", "SF1234567890"),
    ("YT-2024-0001", "YT20240001"), ("7730　1234—5678", "773012345678")])
def test_a_tracking_number_is_taken_as_typed(typed, stored):
    assert ShipIn(carrier="圆通", tracking_no=typed).tracking_no == stored


@pytest.mark.parametrize("typed", ["", "SF1", "SF12#34", "运单1234", "- - -"])
def test_a_tracking_number_that_is_not_one_is_refused(typed):
    with pytest.raises(ValidationError):
        ShipIn(carrier="圆通", tracking_no=typed)


def _status(order_id: int) -> tuple[str, str | None, str | None]:
    with read_session() as session:
        order = session.get_one(Order, order_id)
        return order.status, order.carrier, order.tracking_no


def test_the_queue_offers_the_common_carriers_on_one_row(client):
    shop = order_data.shop("鲜果园")
    order_id = order_data.order(shop)
    sign_in(client, shop.staff.email)
    page = client.get("/supplier").text
    for carrier in ("顺丰", "中通", "圆通", "韵达", "申通", "极兔", "京东", "EMS", "邮政"):
        assert f'<option value="{carrier}">' in page
    assert f'name="carrier-{order_id}"' in page and f'name="tracking_no-{order_id}"' in page
    typed = {f"carrier-{order_id}": "中通", f"tracking_no-{order_id}": "7530 1234-5678"}
    shipped = form_post(client, "/supplier", f"/supplier/orders/{order_id}/ship", typed)
    assert shipped.status_code == 303
    assert _status(order_id) == ("shipped", "中通", "753012345678")


def test_batch_shipping_moves_each_ticked_order_and_reports_the_refused(client):
    shop = order_data.shop("鲜果园")
    good, bad, gone, untouched = (order_data.order(shop) for _ in range(4))
    order_data.order(shop)
    sign_in(client, shop.staff.email)
    client.get("/supplier")
    lifecycle.ship(actor=shop.seller, order_id=gone, data=order_data.SHIP)  # shipped meanwhile
    page = form_post(client, "/supplier", "/supplier/orders/ship", {
        "order_id": [str(good), str(bad), str(gone)],
        f"carrier-{good}": "顺丰", f"tracking_no-{good}": "SF 1000 2000 3000",
        f"carrier-{bad}": "顺丰", f"tracking_no-{bad}": "SF#1",
        f"carrier-{gone}": "韵达", f"tracking_no-{gone}": "YD12345678",
        f"carrier-{untouched}": "顺丰", f"tracking_no-{untouched}": "SF99999999"})
    assert page.status_code == 200
    assert "已发货 1 单" in page.text and f"订单 {good}" in page.text
    assert f'data-testid="refused-{bad}">订单 {bad}：运单号：填写不正确' in page.text
    assert f'data-testid="refused-{gone}">订单 {gone}：订单当前状态不能发货（已发货）' in page.text
    assert _status(good) == ("shipped", "顺丰", "SF100020003000")
    assert _status(bad) == ("paid", None, None)
    assert _status(gone) == ("shipped", "顺丰", "SF1234567")
    assert _status(untouched) == ("paid", None, None)


def test_a_batch_with_nothing_ticked_ships_nothing(client):
    shop = order_data.shop("鲜果园")
    order_id = order_data.order(shop)
    sign_in(client, shop.staff.email)
    page = form_post(client, "/supplier", "/supplier/orders/ship",
                     {f"carrier-{order_id}": "顺丰", f"tracking_no-{order_id}": "SF12345678"})
    assert "请先勾选要发货的订单。" in page.text
    assert _status(order_id) == ("paid", None, None)
