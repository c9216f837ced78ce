"""The operator's home: today against yesterday, to-dos with counts linking to each list,
top promoters and products, and sales net of refunds."""

import re
from datetime import timedelta

from quanzi.analytics import home, rollup
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders import paying, refunds
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, RefundCreate
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares
from tests.factories import ADDRESS, make_user
from tests.web import order_data
from tests.web.data import world
from tests.web.helpers import sign_in


def _shared_order(sku_id: int, promoter_id: int, product_id: int) -> int:
    """A friend buys 2 × ¥50.00 through the promoter's share code, paid."""
    share = shares.create_share(promoter_user_id=promoter_id, product_id=product_id)
    buyer = make_user(name="朋友")
    order = place_order(buyer_id=buyer.id, idempotency_key=f"s-{buyer.id}", data=OrderCreate(
        items=[{"sku_id": sku_id, "quantity": 2}], address=ADDRESS, share_code=share.code))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer.id,
                                  provider_name="sandbox", idempotency_key=f"s-{buyer.id}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer.id)
    return order.id


def _refund_requested(shop: order_data.Shop) -> int:
    buyer = make_user()
    order_id = order_data.order(shop, "shipped", buyer=buyer)
    line_id = order_data._line_of(order_id, buyer)
    refunds.request_refund(actor=order_data.buyer_actor(buyer), order_id=order_id,
                           idempotency_key=f"r-{order_id}", data=RefundCreate(
                               lines=[{"line_id": line_id, "quantity": 1}], reason="坏了"))
    return order_id


def test_the_home_answers_the_operators_questions(client):
    given = world()
    shop = order_data.shop("茶园")  # ¥30.00 a case
    clock.freeze(clock.now().replace(hour=4))  # 12:00 in Shanghai, the same day as 4 h ago
    order_data.order(shop)  # yesterday: one paid order of ¥30.00
    clock.advance(timedelta(days=1))
    order_data.order(shop)
    order_data.order(shop, "refunded")  # paid and refunded at once: ¥30.00 back
    _refund_requested(shop)
    _shared_order(given.sku_id, given.promoter_id, given.product_id)
    referral.apply(user_id=make_user(name="新推客").id)
    rollup.sweep(full=True)  # the worker's rollup: yesterday's figures come from it
    sign_in(client, given.operator)
    page = client.get("/operator").text
    assert 'hx-get="/operator/home/queues" hx-trigger="load"' in page
    for testid, value in (("gmv", "¥190.00"), ("orders", "4"), ("refunds", "¥30.00"),
                          ("net", "¥160.00")):
        assert f'data-testid="today-{testid}">\n  <span class="stat-value">{value}<' in page, testid
    assert "昨日 ¥30.00" in page and "昨日 1" in page
    page = client.get("/operator/home/queues").text
    for testid, href, count in (("promoters", "/operator/promoters?status=applied", 1),
                                ("to-ship", "/supplier", 3),
                                ("refunds", "/operator/orders?status=after_sales", 1),
                                ("withdrawals", "/operator/payouts?status=requested", 0)):
        found = re.search(f'href="{re.escape(href)}" data-testid="todo-{testid}">'
                          r"<span>[^<]+</span><strong>(\d+)</strong>", page)
        assert found and found.group(1) == str(count), testid
    assert f'data-testid="top-promoter-{given.promoter_id}"' in page and "小美" in page
    with read_session() as session:
        products = home.top_products(session, clock.now())
        promoters = home.top_promoters(session, clock.now())
    assert [(p.name, p.orders, p.gmv_fen) for p in products][:1] == [("赣南脐橙", 1, 10000)]
    assert ("茶园的货", 4, 9000) in [(p.name, p.orders, p.gmv_fen) for p in products]
    assert [(p.name, p.gmv_fen) for p in promoters] == [("小美", 10000)]
    english = client.get("/operator", headers={"Accept-Language": "en"}).text
    assert "Net of refunds" in english
    english = client.get("/operator/home/queues", headers={"Accept-Language": "en"}).text
    assert "Promoters to review" in english
