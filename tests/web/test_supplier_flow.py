"""In a real browser: a supplier lists a product with a SKU, it is in the shop, and a
consumer saves an address on the address page and buys it with that address."""

import pytest
from sqlalchemy import select

from quanzi.catalog.models import Product
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import make_supplier, make_user
from tests.web.data import PASSWORD

pytestmark = pytest.mark.browser


def test_supplier_lists_a_product_and_a_consumer_buys_it_with_a_saved_address(visitor):
    supplier_id = make_supplier("云岭茶园")
    staff = make_user("supplier", supplier_id=supplier_id)
    buyer = make_user(name="小王")
    seller, consumer = visitor(), visitor()

    seller.sign_in(staff.email or "", PASSWORD)
    seller.page.goto("/supplier")
    seller.page.click("a.chip:has-text('商品管理')")
    seller.page.fill("input[name=title]", "普洱熟茶饼")
    seller.page.fill("input[name=category]", "茶叶")
    seller.page.fill("textarea[name=description]", "七年陈")
    seller.page.fill("input[name=spec_0]", "357g")
    seller.page.fill("input[name=price_0]", "128.80")
    seller.page.fill("input[name=stock_0]", "12")
    seller.shot("supplier-new-product")
    with seller.page.expect_navigation():
        seller.page.click("text=创建商品")
    assert "/supplier/products/" in seller.page.url
    with read_session() as session:
        product = session.scalars(select(Product).where(Product.title == "普洱熟茶饼")).one()
        assert product.supplier_id == supplier_id
    assert seller.scroll_width() <= 375
    assert seller.errors == []

    consumer.sign_in(buyer.email or "", PASSWORD)
    consumer.page.goto("/")
    assert "普洱熟茶饼" in consumer.page.content()
    consumer.page.goto(f"/p/{product.id}")
    assert "¥128.80" in consumer.page.content()
    with consumer.page.expect_navigation():
        consumer.page.click("[data-testid=buy-now]:visible, button[form=buy-form]")
    assert "/checkout" in consumer.page.url
    with consumer.page.expect_navigation():
        consumer.page.click("text=管理收货地址")
    assert consumer.page.url.split("?")[0].endswith("/me/addresses")
    consumer.page.fill("input[name=name]", "王五")
    consumer.page.fill("input[name=phone]", "13700137000")
    consumer.page.fill("input[name=region]", "云南省 昆明市")
    consumer.page.fill("input[name=detail]", "翠湖路 8 号")
    consumer.shot("consumer-addresses")
    with consumer.page.expect_navigation():
        consumer.page.click("text=保存地址")
    assert "/checkout" in consumer.page.url
    saved = consumer.page.locator("input[name=address_id]:checked")
    assert "翠湖路 8 号" in consumer.page.text_content("label.choice:has(input:checked)")
    assert saved.count() == 1
    with consumer.page.expect_navigation():
        consumer.page.click("button[form=checkout-form]")
    with consumer.page.expect_navigation():
        consumer.page.click("text=确认支付")
    assert consumer.page.text_content("[data-testid=order-status]") == "待发货"
    assert consumer.scroll_width() <= 375
    assert consumer.errors == []
    with read_session() as session:
        order = session.scalars(select(Order).where(Order.buyer_id == buyer.id)).one()
        assert (order.status, order.total_fen, order.supplier_id) == ("paid", 12880, supplier_id)
        assert order.address["detail"] == "翠湖路 8 号" and order.address["name"] == "王五"
