"""Issue #14's two flows in a real browser at 375 px (screenshots in test-artifacts/):
a 拼团 order that waits for its group before it can ship, and a product page led by its
live 秒杀, bought at the flash price, beside 单独购买 at the list price."""

from datetime import timedelta

import pytest

from quanzi.campaigns import buying
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.schemas import FlashSaleCreate
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.orders.models import Order
from quanzi.payments import services as payments
from tests.factories import ADDRESS, PASSWORD, make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.conftest import Visitor
from tests.web.data import world

pytestmark = pytest.mark.browser


def _fill_address(person: Visitor) -> None:
    page = person.page
    page.fill("#buy input[name=name]", "张三")
    page.fill("#buy input[name=phone]", "13800138000")
    page.fill("#buy input[name=region]", "上海市 浦东新区")
    page.fill("#buy input[name=detail]", "世纪大道 100 号")


def _pay(person: Visitor) -> None:
    assert "/sandbox/pay/" in person.page.url, person.page.content()
    with person.page.expect_navigation():
        person.page.click("text=确认支付")


def test_a_group_order_waits_for_its_group_before_the_supplier_can_ship_it(visitor):
    given = world()
    deal = data.group_buy(data.goods(), size=3)
    leader_user = make_user(name="团长阿明")
    leader, operator = visitor(), visitor()
    leader.sign_in(leader_user.email or "", PASSWORD)
    leader.page.goto(f"/group-buys/{deal}")
    _fill_address(leader)
    with leader.page.expect_navigation():
        leader.page.click("#buy button[type=submit]:visible, button[form=buy]")
    _pay(leader)

    # paid: the group's page with a large 邀请好友, then the order page from its link
    assert leader.page.locator("[data-testid=invite-friends]").is_visible()
    with leader.page.expect_navigation():
        leader.page.click("[data-testid=paid-order]")

    # the order page: 拼团中·还差2人, the progress, and 邀请好友 to the group's share
    assert leader.page.text_content("[data-testid=order-status]") == "拼团中·还差2人"
    assert "已付款 1 / 3" in (leader.page.text_content("[data-testid=group-wait]") or "")
    assert leader.scroll_width() <= 375
    leader.shot("group-order-forming")
    order_id = int(leader.page.url.rsplit("/", 1)[1])
    with leader.page.expect_navigation():
        leader.page.click("[data-testid=invite]")
    assert leader.page.url.endswith("/groups/1#share")
    assert leader.page.locator("#share [data-testid=page-link]").is_visible()
    leader.shot("group-order-invite")

    # the shipping queue (an operator sees every supplier's) leaves it out while it forms
    operator.sign_in(given.operator, PASSWORD)
    operator.page.goto("/supplier")
    assert operator.page.locator(f"[data-testid=to-ship-{order_id}]").count() == 0
    operator.shot("supplier-queue-group-forming")

    # two friends join and pay: the group forms, the order reads 待发货 and ships
    for n in range(2):
        friend = make_user()
        seat = buying.join_group(group_id=1, user_id=friend.id, address=ADDRESS,
                                 share_code=None, idempotency_key=f"join-{n}")
        intent = paying.start_payment(order_id=seat.order.id, payer_id=friend.id,
                                      provider_name="sandbox", idempotency_key=f"pay-{n}")
        payments.complete_sandbox(payment_id=intent.payment_id, payer_id=friend.id)
    leader.page.goto(f"/orders/{order_id}")
    assert leader.page.text_content("[data-testid=order-status]") == "待发货"
    operator.page.goto("/supplier")
    row = operator.page.locator(f"[data-testid=to-ship-{order_id}]")
    row.locator("select[name^=carrier]").select_option("顺丰")
    row.locator("input[name^=tracking_no]").fill("SF1234567890")
    with operator.page.expect_navigation():
        row.locator("button:has-text('发货')").click()
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "shipped"
    assert leader.errors == [] and operator.errors == []


def test_a_live_flash_sale_leads_the_product_page_and_is_bought_at_its_price(visitor):
    given = data.goods()
    start = clock.now() - timedelta(minutes=1)
    sale = campaigns.create_flash_sale(by=given.staff, data=FlashSaleCreate(
        sku_id=given.sku_id, price_fen=1990, stock=5, per_user_limit=1, starts_at=start,
        ends_at=start + timedelta(hours=2))).id
    with read_session() as session:
        from quanzi.catalog.models import Sku

        product_id = session.get_one(Sku, given.sku_id).product_id
    buyer_user = make_user(name="小张")
    buyer = visitor()
    buyer.sign_in(buyer_user.email or "", PASSWORD)
    buyer.page.goto(f"/p/{product_id}")

    band = buyer.page.locator("[data-testid=campaign-band]")
    assert band.is_visible() and "秒杀" in (band.text_content() or "")
    assert buyer.page.text_content("[data-testid=band-price]") == "¥19.90"
    assert buyer.page.locator("[data-testid=campaign-band] [data-countdown]").is_visible()
    # on a phone the pair is in the buy bar only, as on 拼多多: each button shows once
    main = buyer.page.locator("[data-testid=buybar-button]")
    assert " ".join((main.text_content() or "").split()) == "¥19.90立即抢购"
    alone = buyer.page.locator("[data-testid=buybar-alone]")
    assert " ".join((alone.text_content() or "").split()) == "¥50.00单独购买"
    assert main.bounding_box()["height"] >= 44  # type: ignore[index]
    assert alone.bounding_box()["height"] >= 44  # type: ignore[index]
    for words in ("立即抢购", "单独购买"):
        assert buyer.page.locator(f":is(a, button):has-text('{words}'):visible").count() == 1
    assert not buyer.page.locator("[data-testid=campaign-buy]").is_visible()
    assert buyer.scroll_width() <= 375
    buyer.shot("product-led-by-flash-sale")

    # the main button: into the flash buy, paid at ¥19.90
    with buyer.page.expect_navigation():
        main.click()
    assert buyer.page.url.endswith(f"/flash/{sale}#buy")
    _fill_address(buyer)
    with buyer.page.expect_navigation():
        buyer.page.click("#buy button[type=submit]:visible, button[form=buy]")
    assert buyer.page.text_content("[data-testid=pay-amount]") == "¥19.90"
    _pay(buyer)

    # 单独购买: checkout at the list price
    buyer.page.goto(f"/p/{product_id}")
    with buyer.page.expect_navigation():
        buyer.page.click("[data-testid=buy-now]:visible, button[form=buy-form]")
    assert "/checkout" in buyer.page.url
    assert buyer.page.text_content("[data-testid=checkout-total]") == "¥50.00"
    buyer.shot("product-buy-alone-checkout")
    with read_session() as session:
        (order,) = session.query(Order).filter_by(buyer_id=buyer_user.id).all()
    assert (order.kind, order.total_fen, order.status) == ("flash_sale", 1990, "paid")
    assert buyer.errors == []
