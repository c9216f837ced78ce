"""The two flows of issue #14 that were wrong, through the pages (TestClient):

1. a 拼团 order reads 拼团中·还差N人 with its group's progress and an invite to the group's
   share until the group forms; till then the supplier's queue leaves it out and shipping
   it is refused;
2. a product with a live 秒杀 leads with it: the band, and a main button into the flash
   buy at the flash price, with 单独购买 at the list price beside it.
"""

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.schemas import CampaignItem, FlashSaleCreate, GroupBuyCreate
from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.orders.models import Order
from quanzi.payments import services as payments
from quanzi.web.shop.lead import lead_of
from tests.factories import ADDRESS, make_product, make_supplier, make_user
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, form_post, sign_in

LIST_PRICE = 5000


def _shelf() -> tuple[int, int, int, Identity]:
    """A supplier's product at ¥50.00: (supplier id, product id, SKU id, an operator)."""
    supplier_id = make_supplier()
    (sku_id,) = make_product(supplier_id, [("1盒", LIST_PRICE, 100)], title="阳光玫瑰葡萄")
    with read_session() as session:
        product_id = session.get_one(Sku, sku_id).product_id
    operator = make_user("operator")
    return supplier_id, product_id, sku_id, Identity(
        id=operator.id, name=operator.name, roles=("consumer", "operator"), supplier_id=None)


def _person(app, role: str = "consumer", **extra: object) -> tuple[TestClient, int]:  # type: ignore[no-untyped-def]
    user = make_user(role, **extra)  # type: ignore[arg-type]
    browser = TestClient(app)
    sign_in(browser, user.email or "")
    return browser, user.id


def _paid(order_id: int, buyer_id: int) -> None:
    intent = paying.start_payment(order_id=order_id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"pay-{order_id}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)


# --- 1. a 拼团 order waits for its group ----------------------------------------------


def test_a_group_order_reads_forming_and_cannot_ship_until_the_group_forms(app):
    supplier_id, _, sku_id, operator = _shelf()
    deal = campaigns.create_group_buy(by=operator, data=GroupBuyCreate(
        sku_id=sku_id, price_fen=2990, group_size=3, duration_s=24 * 3600)).id
    leader, leader_id = _person(app)
    staff, _ = _person(app, "supplier", supplier_id=supplier_id)
    seat = buying.open_group(group_buy_id=deal, user_id=leader_id, address=ADDRESS,
                             share_code=None, idempotency_key="open")
    group_id, order_id = seat.group_id, seat.order.id
    _paid(order_id, leader_id)

    page = leader.get(f"/orders/{order_id}").text
    assert ('<span class="badge badge--forming" data-testid="order-status">拼团中·还差2人</span>'
            in page)
    assert "已付款 1 / 3" in page and "待发货" not in page
    assert f'href="/groups/{group_id}#share" data-testid="invite">邀请好友</a>' in page
    assert "拼团中·还差2人" in leader.get("/orders").text
    english = leader.get(f"/orders/{order_id}", headers={"Accept-Language": "en"}).text
    assert "Group forming · 2 more to go" in english and "Invite friends" in english
    assert 'id="share"' in leader.get(f"/groups/{group_id}").text

    console = staff.get("/supplier").text
    assert f'data-testid="to-ship-{order_id}"' not in console and "没有待发货的订单" in console
    refused = form_post(staff, "/supplier", f"/supplier/orders/{order_id}/ship",
                        {"carrier": "顺丰", "tracking_no": "SF1234567890"})
    assert refused.status_code == 409 and "拼团还未成团，成团后才能发货" in refused.text
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "paid"

    for n in range(2):
        _, friend_id = _person(app)
        joined = buying.join_group(group_id=group_id, user_id=friend_id, address=ADDRESS,
                                   share_code=None, idempotency_key=f"join-{n}")
        _paid(joined.order.id, friend_id)
    page = leader.get(f"/orders/{order_id}").text
    assert '<span class="badge badge--paid" data-testid="order-status">待发货</span>' in page
    assert 'data-testid="invite"' not in page
    assert f'data-testid="to-ship-{order_id}"' in staff.get("/supplier").text
    shipped = form_post(staff, "/supplier", f"/supplier/orders/{order_id}/ship",
                        {"carrier": "顺丰", "tracking_no": "SF1234567890"})
    assert shipped.status_code == 303
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "shipped"


# --- 2. a live 秒杀 leads the product page ---------------------------------------------


def _flash(operator: Identity, sku_id: int, price_fen: int = 1990, stock: int = 5) -> int:
    start = clock.now() - timedelta(minutes=1)
    return campaigns.create_flash_sale(by=operator, data=FlashSaleCreate(
        sku_id=sku_id, price_fen=price_fen, stock=stock, per_user_limit=1, starts_at=start,
        ends_at=start + timedelta(hours=2))).id


def _buy_form(html: str, action: str) -> dict[str, str]:
    key = html.split(f'action="{action}"', 1)[1].split('name="key" value="', 1)[1]
    return {"csrf_token": csrf_of(html), "key": key.split('"', 1)[0]}


def test_a_live_flash_sale_leads_the_product_page_and_its_button_charges_the_flash_price(app):
    _, product_id, sku_id, operator = _shelf()
    sale = _flash(operator, sku_id)
    buyer, buyer_id = _person(app)

    page = buyer.get(f"/p/{product_id}").text
    assert 'data-testid="campaign-band"' in page
    assert '<span class="lead-band-price" data-testid="band-price">¥19.90</span>' in page
    assert 'data-testid="band-list-price">¥50.00</s>' in page
    assert 'data-countdown="' in page.split('data-testid="campaign-band"')[1]
    button = page.split('data-testid="campaign-buy"')[0].rsplit("<a ", 1)[1]
    assert f'href="/flash/{sale}#buy"' in button
    assert ('data-testid="campaign-buy"><span class="button-price">¥19.90</span>立即抢购</a>'
            in page)
    assert '<span class="button-price">¥50.00</span>单独购买</button>' in page
    assert 'class="product-price"' not in page  # the list price no longer leads

    # the main button's flash buy: the order is at the flash price
    flash_page = buyer.get(f"/flash/{sale}").text
    assert 'id="buy" data-testid="flash-buy"' in flash_page
    bought = buyer.post(f"/flash/{sale}/buy", follow_redirects=False, data={
        **ADDRESS, "quantity": 1, **_buy_form(flash_page, f"/flash/{sale}/buy")})
    assert bought.status_code == 303, bought.text
    # 单独购买: checkout at the list price
    alone = form_post(buyer, f"/p/{product_id}", "/buy",
                      {"product_id": product_id, "sku_id": sku_id, "quantity": 1})
    assert alone.headers["location"] == f"/checkout?product={product_id}&sku={sku_id}&qty=1"
    checkout = buyer.get(alone.headers["location"]).text
    assert 'data-testid="checkout-total">¥50.00<' in checkout
    line = checkout.split('name="line" value="', 1)[1].split('"', 1)[0]
    placed = buyer.post("/checkout", follow_redirects=False, data={
        **ADDRESS, "line": line, "csrf_token": csrf_of(checkout), "key": "alone"})
    assert placed.status_code == 303, placed.text
    with read_session() as session:
        orders = list(session.query(Order).filter_by(buyer_id=buyer_id).order_by(Order.id))
    assert [(o.kind, o.total_fen) for o in orders] == [("flash_sale", 1990),
                                                       ("normal", LIST_PRICE)]


def test_without_a_live_campaign_the_page_buys_at_the_list_price(app, client):
    _, product_id, sku_id, operator = _shelf()
    start = clock.now() + timedelta(hours=1)
    campaigns.create_flash_sale(by=operator, data=FlashSaleCreate(
        sku_id=sku_id, price_fen=1990, stock=5, per_user_limit=1, starts_at=start,
        ends_at=start + timedelta(hours=2)))
    page = client.get(f"/p/{product_id}").text
    assert 'data-testid="campaign-band"' not in page and "单独购买" not in page
    assert 'data-testid="buy-now">立即购买</button>' in page
    assert '<p class="product-price"><span class="price">¥50.00</span>' in page


def test_a_group_buy_leads_with_its_group_button_and_english_reads_too(client):
    _, product_id, sku_id, operator = _shelf()
    deal = campaigns.create_group_buy(by=operator, data=GroupBuyCreate(
        sku_id=sku_id, price_fen=2990, group_size=3, duration_s=3600)).id
    page = client.get(f"/p/{product_id}").text
    assert f'href="/group-buys/{deal}#buy"' in page and "发起拼团</a>" in page
    assert "3人团" in page and 'data-countdown' not in page  # runs until stopped
    english = client.get(f"/p/{product_id}", headers={"Accept-Language": "en"}).text
    assert "Start a group</a>" in english and "Buy alone</button>" in english


NOW = datetime(2026, 6, 18, 12, 0).astimezone()


def _item(kind: str, ident: int, ends_in: timedelta | None = None,
          **extra: object) -> CampaignItem:
    return CampaignItem(kind=kind, id=ident, sku_id=1, product_id=1, supplier_id=1,  # type: ignore[arg-type]
                        title="葡萄", spec="1盒", image=None, price_fen=1000,
                        list_price_fen=LIST_PRICE, status="live",
                        starts_at=NOW - timedelta(hours=1),
                        ends_at=NOW + ends_in if ends_in else None, **extra)  # type: ignore[arg-type]


def test_what_leads_flash_first_then_group_then_bargain_and_not_a_sold_out_sale():
    group, bargain = _item("group_buy", 2), _item("bargain", 3)
    flash = _item("flash_sale", 1, timedelta(minutes=5))
    lead = lead_of([group, bargain, flash], frozenset(), NOW)
    assert lead is not None
    assert (lead.campaign.kind, lead.button, lead.url, lead.seconds_left) == (
        "flash_sale", "立即抢购", "/flash/1#buy", 300)
    assert lead_of([bargain, group, flash], frozenset({1}), NOW).button == "发起拼团"  # type: ignore[union-attr]
    assert lead_of([bargain], frozenset(), NOW).button == "我要砍价"  # type: ignore[union-attr]
    presale = lead_of([_item("presale", 4, timedelta(days=1), deposit_fen=300)],
                      frozenset(), NOW)
    assert presale is not None and (presale.button, presale.button_price_fen) == ("付定金", 300)
    assert lead_of([_item("flash_sale", 1)], frozenset({1}), NOW) is None
    assert lead_of([], frozenset(), NOW) is None
