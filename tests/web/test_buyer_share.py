"""The buyer's share sheets and the landing after paying (issue #14, the buyer's path):
every campaign page offers the share sheet, any signed-in shopper can share a product
(a promoter's link carries attribution), and a paid 开团 or bargain buy lands on its
group or run page with a large 邀请好友."""

from fastapi.testclient import TestClient

from quanzi.campaigns import buying
from quanzi.campaigns import services as campaigns
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.referral import services as referral
from quanzi.referral.models import Share
from tests.factories import ADDRESS, make_user, snapshot
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, form_post, sign_in


def _promoter(client: TestClient) -> int:
    operator, promoter = make_user("operator"), make_user()
    applied = referral.apply(user_id=promoter.id)
    referral.approve(operator_id=operator.id, promoter_id=applied.id)
    sign_in(client, promoter.email or "")
    return promoter.id


def _product_of(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id


def test_every_campaign_page_offers_the_share_sheet_with_its_own_link(client):
    for name, path in data.every_page().items():
        page = client.get(path).text
        assert 'data-testid="campaign-share"' in page, name
        assert f'{path}" data-testid="page-link"' in page, name


def test_a_promoter_shares_the_pages_that_had_no_sheet_and_lands_on_them(client):
    pages = data.every_page()
    _promoter(client)
    for name in ("group_buy", "bargain", "tiered", "presale"):
        sheet = form_post(client, pages[name], f"{pages[name]}/share",
                          headers={"HX-Request": "true"})
        assert sheet.status_code == 200 and 'data-testid="share-sheet"' in sheet.text, name
        code = sheet.text.split("/s/", 1)[1].split('"', 1)[0]
        landed = client.get(f"/s/{code}", follow_redirects=False)
        assert landed.headers["location"] == pages[name], name


def test_a_shopper_shares_a_product_by_its_plain_link_and_creates_no_share(client):
    product_id = _product_of(data.goods().sku_id)
    assert 'data-testid="campaign-share"' not in client.get(f"/p/{product_id}").text
    sign_in(client, make_user().email or "")
    page = client.get(f"/p/{product_id}").text
    assert f'/p/{product_id}" data-testid="page-link"' in page
    assert "分享赚佣金" not in page
    before = snapshot()
    refused = form_post(client, f"/p/{product_id}", f"/p/{product_id}/share")
    assert refused.status_code == 403 and snapshot() == before


def test_a_promoters_product_share_carries_attribution(client):
    product_id = _product_of(data.goods().sku_id)
    promoter_id = _promoter(client)
    page = client.get(f"/p/{product_id}").text
    assert "分享赚佣金" in page and 'data-testid="page-link"' in page
    sheet = form_post(client, f"/p/{product_id}", f"/p/{product_id}/share")
    code = sheet.text.split("/s/", 1)[1].split('"', 1)[0]
    with read_session() as session:
        share = session.query(Share).filter_by(code=code).one()
    assert (share.promoter_id, share.target_kind, share.target_id) == (
        promoter_id, "product", product_id)
    assert client.get(f"/s/{code}", follow_redirects=False).headers["location"] == \
        f"/p/{product_id}"


def _pay_on_page(client: TestClient, order_id: int, buyer_id: int) -> str:
    intent = paying.start_payment(order_id=order_id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"pay-{order_id}")
    page = f"/sandbox/pay/{intent.payment_id}"
    paid = client.post(page, data={"csrf_token": csrf_of(client.get(page).text)},
                       follow_redirects=False)
    assert paid.status_code == 303
    return str(paid.headers["location"])


def test_paying_for_a_group_lands_on_the_group_with_a_large_invite(client):
    deal = data.group_buy(data.goods())
    leader = make_user()
    sign_in(client, leader.email or "")
    seat = buying.open_group(group_buy_id=deal, user_id=leader.id, address=ADDRESS,
                             share_code=None, idempotency_key="open")
    landing = _pay_on_page(client, seat.order.id, leader.id)
    assert landing == f"/groups/{seat.group_id}?paid={seat.order.id}#invite"
    page = client.get(landing).text
    assert 'href="#share" data-testid="invite-friends">邀请好友参团</a>' in page
    assert f'href="/orders/{seat.order.id}" data-testid="paid-order"' in page
    assert 'id="share"' in page


def test_paying_for_a_bargain_lands_on_the_run_which_invites_friends_to_their_own(client):
    given = data.goods()
    bargain_id = data.bargain(given)
    owner = make_user()
    sign_in(client, owner.email or "")
    run = campaigns.start_bargain(bargain_id=bargain_id, user_id=owner.id).bargain_run_id
    order = buying.buy_bargain(run_id=run, user_id=owner.id, address=ADDRESS,
                               share_code=None, idempotency_key="buy")
    landing = _pay_on_page(client, order.id, owner.id)
    assert landing == f"/bargain-runs/{run}?paid={order.id}#invite"
    page = client.get(landing).text
    assert 'data-testid="invite-friends">邀请好友也来砍</a>' in page
    assert f'/bargains/{bargain_id}" data-testid="page-link"' in page


def test_paying_for_a_flash_sale_still_lands_on_the_order(client):
    sale = data.flash(data.goods())
    buyer = make_user()
    sign_in(client, buyer.email or "")
    order = buying.buy_flash(sale_id=sale, user_id=buyer.id, quantity=1, address=ADDRESS,
                             share_code=None, idempotency_key="buy")
    assert _pay_on_page(client, order.id, buyer.id) == f"/orders/{order.id}"


def test_a_campaign_share_sheet_says_what_a_sale_earns_at_the_campaign_price(client):
    pages = data.every_page()
    _promoter(client)
    earns = {"flash": "¥1.99", "group_buy": "¥2.99", "presale": "¥4.50"}  # 10% of each price
    for name, earn in earns.items():
        sheet = form_post(client, pages[name], f"{pages[name]}/share",
                          headers={"HX-Request": "true"})
        assert 'data-testid="share-earn"' in sheet.text, name
        assert f"<strong>{earn}</strong>" in sheet.text, name
