"""The promoter centre's figures (GET /api/v1/me/referral/stats: clicks, visitors, orders,
commissions by state, shares, team), the commission list (GET /api/v1/me/commissions) and
sharing the micro-shop (POST /api/v1/shares with ``shop: true``) as pages."""

from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.payments import services as payments
from quanzi.referral import clicks, queries, redirect, shares, shops
from quanzi.referral import services as referral
from quanzi.referral.schemas import ShopIn
from tests.factories import ADDRESS, make_user, snapshot
from tests.web.data import World, world
from tests.web.helpers import csrf_of, form_post, sign_in


def _sold_through_a_share(client, given: World) -> tuple[str, int]:
    """A friend opens the promoter's link and buys 2 × ¥50.00, paid: ¥10.00 pending."""
    redirect.forget_rules()
    share = shares.create_share(promoter_user_id=given.promoter_id, product_id=given.product_id)
    assert client.get(f"/s/{share.code}", follow_redirects=False).status_code == 302
    clicks.buffer.flush()
    client.cookies.clear()
    buyer = make_user(name="朋友")
    order = place_order(buyer_id=buyer.id, idempotency_key="shared", data=OrderCreate(
        items=[{"sku_id": given.sku_id, "quantity": 2}], address=ADDRESS,
        share_code=share.code))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer.id,
                                  provider_name="sandbox", idempotency_key="shared")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer.id)
    return share.code, order.id


def _recruit(given: World) -> int:
    with read_session() as session:
        code = queries.my_promoter(session, given.promoter_id).invite_code
    recruit = make_user(name="阿强")
    referral.apply(user_id=recruit.id, invite_code=code)
    return recruit.id


def test_the_centre_shows_the_figures_shares_and_team(client):
    given = world()
    code, _ = _sold_through_a_share(client, given)
    recruit_id = _recruit(given)
    sign_in(client, given.promoter)
    page = client.get("/promoter").text
    for testid, value in (("stat-clicks", "1"), ("stat-visitors", "1"), ("stat-orders", "1"),
                          ("stat-gmv", "¥100.00"), ("commission-pending", "¥10.00"),
                          ("commission-settled", "¥0.00")):
        assert f'data-testid="{testid}">{value}<' in page, testid
    assert f'data-testid="share-{code}"' in page
    assert f'data-testid="team-{recruit_id}"' in page and "阿强" in page and "待审核" in page
    assert 'href="/promoter/commissions"' in page and 'href="/me/wallet"' in page


def test_the_commission_list_by_state(client):
    given = world()
    _, order_id = _sold_through_a_share(client, given)
    sign_in(client, given.promoter)
    page = client.get("/promoter/commissions").text
    assert f"订单 {order_id}" in page and "一级佣金" in page and "¥10.00" in page
    assert "待结算" in page
    pending = client.get("/promoter/commissions?status=pending").text
    assert f"订单 {order_id}" in pending
    settled = client.get("/promoter/commissions?status=settled").text
    assert "没有符合条件的佣金。" in settled and f"订单 {order_id}" not in settled
    client.cookies.set("lang", "en")
    english = client.get("/promoter/commissions").text
    assert "Commission details" in english and "佣金明细" not in english


def test_the_commission_list_refuses_a_bad_state_or_cursor(client):
    given = world()
    sign_in(client, given.promoter)
    bad_state = client.get("/promoter/commissions?status=paid")
    assert bad_state.status_code == 422 and "没有这个佣金状态" in bad_state.text
    bad_cursor = client.get("/promoter/commissions?cursor=abc")
    assert bad_cursor.status_code == 422 and "翻页参数无效" in bad_cursor.text


def test_only_promoters_see_the_commission_list(client):
    for role in ("consumer", "leader"):
        client.cookies.clear()
        sign_in(client, make_user(role).email or "")
        assert client.get("/promoter/commissions").status_code == 403, role
    client.cookies.clear()
    response = client.get("/promoter/commissions", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_promoter_shares_the_micro_shop(client):
    given = world()
    sign_in(client, given.promoter)
    assert 'hx-post="/promoter/shop/share"' not in client.get("/promoter/shop").text
    early = form_post(client, "/promoter/shop", "/promoter/shop/share")
    assert early.status_code == 404  # no shop yet: nothing shared
    with read_session() as session:
        assert queries.stats(session, given.promoter_id).shares == []
    shop = shops.save_shop(promoter_user_id=given.promoter_id, data=ShopIn(name="小美的果园"))
    assert 'hx-post="/promoter/shop/share"' in client.get("/promoter/shop").text
    sheet = form_post(client, "/promoter/shop", "/promoter/shop/share",
                      headers={"HX-Request": "true"})
    assert sheet.status_code == 200 and 'data-testid="share-sheet"' in sheet.text
    with read_session() as session:
        (share,) = queries.stats(session, given.promoter_id).shares
    assert share.target_kind == "shop" and f"/s/{share.code}" in sheet.text
    opened = client.get(f"/s/{share.code}", follow_redirects=False)
    assert opened.headers["location"] == f"/shop/{shop.code}"


def test_only_promoters_share_a_shop(client):
    sign_in(client, make_user().email or "")
    token = csrf_of(client.get("/").text)
    before = snapshot()
    refused = client.post("/promoter/shop/share", data={"csrf_token": token})
    assert refused.status_code == 403
    assert snapshot() == before
