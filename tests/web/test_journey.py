"""Issue "The web app" in a real browser: the referral journey across four people."""

from datetime import timedelta

import pytest

from quanzi.core import clock
from quanzi.orders.settlement import settle_due
from quanzi.referral import clicks
from tests.web.data import PASSWORD, world

pytestmark = pytest.mark.browser


def test_share_buy_pay_ship_confirm_settle(visitor):
    given = world()
    promoter, consumer, supplier = visitor(), visitor(), visitor()

    # the promoter opens the product and creates the share (link, token, poster)
    promoter.sign_in(given.promoter, PASSWORD)
    promoter.page.goto(f"/p/{given.product_id}")
    promoter.page.click("text=分享赚佣金")
    sheet = promoter.page.locator("[data-testid=share-sheet]")
    sheet.wait_for()
    link = promoter.page.input_value("[data-testid=share-link]")
    token = promoter.page.input_value("[data-testid=share-token]")
    assert "/s/" in link and token.startswith("￥") and token.endswith("￥")
    promoter.page.wait_for_function("document.querySelector('img.poster').naturalWidth > 0")
    promoter.shot("product-share-sheet")

    # a friend opens the link, registers on the way to checkout, buys and pays
    consumer.page.goto(link)
    assert consumer.page.url.endswith(f"/p/{given.product_id}")
    consumer.shot("product")
    consumer.page.click("[data-testid=buy-now]:visible, button[form=buy-form]")
    consumer.page.click("a.link:has-text('注册')")
    consumer.page.fill("input[name=name]", "朋友一")
    consumer.page.fill("input[name=login]", "friend1@example.cn")
    consumer.page.fill("input[name=password]", "friend-pass-1")
    with consumer.page.expect_navigation():
        consumer.page.click("form[action='/register'] button[type=submit]")
    assert "/checkout" in consumer.page.url
    assert consumer.page.text_content("[data-testid=checkout-total]") == "¥50.00"
    consumer.page.fill("input[name=name]", "张三")
    consumer.page.fill("input[name=phone]", "13800138000")
    consumer.page.fill("input[name=region]", "上海市 浦东新区")
    consumer.page.fill("input[name=detail]", "世纪大道 100 号")
    consumer.shot("checkout")
    with consumer.page.expect_navigation():
        consumer.page.click("button[form=checkout-form]")
    assert "/sandbox/pay/" in consumer.page.url
    assert consumer.page.text_content("[data-testid=pay-amount]") == "¥50.00"
    consumer.shot("sandbox-pay")
    with consumer.page.expect_navigation():
        consumer.page.click("text=确认支付")
    order_url = consumer.page.url
    assert consumer.page.text_content("[data-testid=order-status]") == "待发货"

    # the supplier ships it
    supplier.sign_in(given.supplier, PASSWORD)
    supplier.page.goto("/supplier")
    supplier.page.select_option("select[name^=carrier]", "顺丰")
    supplier.page.fill("input[name^=tracking_no]", "SF123456789")
    supplier.shot("supplier-console")
    with supplier.page.expect_navigation():
        supplier.page.click("button:has-text('发货')")
    assert "没有待发货的订单" in supplier.page.content()

    # the friend confirms receipt
    consumer.page.goto(order_url)
    assert consumer.page.text_content("[data-testid=order-status]") == "已发货"
    with consumer.page.expect_navigation():
        consumer.page.click("button:has-text('确认收货')")
    assert consumer.page.text_content("[data-testid=order-status]") == "已完成"
    consumer.shot("order-timeline")

    # the promoter sees the pending commission (10 % of ¥50.00)
    clicks.buffer.flush()
    promoter.page.goto("/promoter")
    assert promoter.page.text_content("[data-testid=commission-pending]") == "¥5.00"
    assert promoter.page.text_content("[data-testid=wallet-available]") == "¥0.00"

    # the return window closes, settlement runs: the commission is in the wallet
    clock.advance(timedelta(days=8))
    assert settle_due() == 1
    promoter.sign_in(given.promoter, PASSWORD)  # the week-old session has expired
    promoter.page.goto("/promoter")
    assert promoter.page.text_content("[data-testid=commission-settled]") == "¥5.00"
    assert promoter.page.text_content("[data-testid=wallet-available]") == "¥5.00"
    promoter.shot("promoter-centre")
    for person in (promoter, consumer, supplier):
        assert person.errors == []
