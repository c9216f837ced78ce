"""Shares, tokens, shops and the shop page over HTTP."""

from sqlalchemy import func, select

from quanzi.core.db import read_session
from quanzi.referral.models import Click, Share
from tests.factories import auth, make_user, snapshot
from tests.referral.conftest import approved_promoter, click_count, new_product
from tests.web import campaign_data


def _shares() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count(Share.id))) or 0)


def test_promoter_shares_a_product(client):
    promoter, product_id = approved_promoter(), new_product()
    response = client.post("/api/v1/shares", json={"product_id": product_id},
                           headers=auth(promoter))
    assert response.status_code == 201
    body = response.json()
    code = body["code"]
    assert len(code) >= 8 and code.isalnum()
    assert body == {"code": code, "url": f"/s/{code}", "token": f"￥{code}￥",
                    "poster_url": f"/api/v1/shares/{code}/poster.png"}
    again = client.post("/api/v1/shares", json={"product_id": product_id}, headers=auth(promoter))
    assert again.json()["code"] == code
    assert _shares() == 1


def test_sharing_needs_the_promoter_role(client):
    product_id = new_product()
    assert client.post("/api/v1/shares", json={"product_id": product_id}).status_code == 401
    response = client.post("/api/v1/shares", json={"product_id": product_id},
                           headers=auth(make_user()))
    assert response.status_code == 403
    assert _shares() == 0


def test_share_input_is_checked(client):
    headers = auth(approved_promoter())
    assert client.post("/api/v1/shares", json={"product_id": 987654},
                       headers=headers).status_code == 404
    for body in ({}, {"product_id": 1, "shop": True}, {"campaign_kind": "group_buy"},
                 {"campaign_kind": "pyramid", "campaign_id": 1}, {"product_id": 0}):
        assert client.post("/api/v1/shares", json=body, headers=headers).status_code == 422, body
    assert client.post("/api/v1/shares", json={"shop": True}, headers=headers).status_code == 404
    assert _shares() == 0


def test_campaign_share_redirects_to_the_campaign_page(client):
    headers = auth(approved_promoter())
    group_buy_id = campaign_data.group_buy(campaign_data.goods())
    code = client.post("/api/v1/shares",
                       json={"campaign_kind": "group_buy", "campaign_id": group_buy_id},
                       headers=headers).json()["code"]
    response = client.get(f"/s/{code}", follow_redirects=False)
    assert response.headers["location"] == f"/group-buys/{group_buy_id}"


def test_resolve_a_token_from_messy_text_records_a_token_click(client):
    promoter, product_id = approved_promoter(), new_product()
    code = client.post("/api/v1/shares", json={"product_id": product_id},
                       headers=auth(promoter)).json()["code"]
    response = client.post("/api/v1/shares/resolve",
                           json={"text": f"【盒马】上海青 ￥{code}￥ 复制打开👉圈子"})
    assert response.status_code == 200
    assert response.json() == {"code": code, "target_url": f"/p/{product_id}"}
    assert click_count() == 1
    with read_session() as session:
        assert session.scalars(select(Click.channel)).one() == "token"


def test_resolve_without_a_code_or_with_an_unknown_one_is_404(client):
    for text, code in (("今天天气不错", "no_share_code"), ("￥ZZZZZZZZZZ￥", "unknown_share")):
        response = client.post("/api/v1/shares/resolve", json={"text": text})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == code
    assert client.post("/api/v1/shares/resolve", json={"text": "x" * 5000}).status_code == 422
    assert click_count(preview=None) == 0


def test_shop_open_items_page_and_share(client):
    promoter = approved_promoter(name="小美")
    headers = auth(promoter)
    first, second = new_product(1290, title="上海青"), new_product(2590, title="土鸡蛋")
    assert client.get("/api/v1/me/shop", headers=headers).status_code == 404
    opened = client.put("/api/v1/me/shop", json={"name": "小美的菜篮子"}, headers=headers)
    assert opened.status_code == 200
    shop = opened.json()
    assert shop["name"] == "小美的菜篮子" and shop["url"] == f"/shop/{shop['code']}"
    items = client.put("/api/v1/me/shop/items", json={"product_ids": [second, first]},
                       headers=headers)
    assert [i["product_id"] for i in items.json()["items"]] == [second, first]

    page = client.get(shop["url"])
    assert page.status_code == 200
    assert "小美的菜篮子" in page.text and "土鸡蛋" in page.text and "¥25.90" in page.text
    assert 'property="og:title"' in page.text
    assert page.cookies.get("qz_share") == shop["share_code"]

    share = client.post("/api/v1/shares", json={"shop": True}, headers=headers)
    assert share.json()["code"] == shop["share_code"]
    redirect = client.get(f"/s/{share.json()['code']}", follow_redirects=False)
    assert redirect.headers["location"] == shop["url"]


def test_shop_rules(client):
    headers = auth(approved_promoter())
    assert client.put("/api/v1/me/shop/items", json={"product_ids": [1]},
                      headers=headers).status_code == 404
    client.put("/api/v1/me/shop", json={"name": "店"}, headers=headers)
    product_id = new_product()
    bad = client.put("/api/v1/me/shop/items", json={"product_ids": [product_id, 777777]},
                     headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "not_on_shelf"
    assert client.get("/api/v1/me/shop", headers=headers).json()["items"] == []
    consumer = auth(make_user())
    before = snapshot()
    assert client.put("/api/v1/me/shop", json={"name": ""}, headers=headers).status_code == 422
    assert client.put("/api/v1/me/shop", json={"name": "x"}, headers=consumer).status_code == 403
    assert snapshot() == before
    assert client.get("/api/v1/me/shop", headers=headers).json()["name"] == "店"
    assert client.get("/shop/NOSUCHSHOP1").status_code == 404


def test_dashboard_counts_clicks_per_share(client):
    promoter = approved_promoter()
    headers = auth(promoter)
    code = client.post("/api/v1/shares", json={"product_id": new_product()},
                       headers=headers).json()["code"]
    for agent in ("MicroMessenger/8.0", "MicroMessenger/8.0", "Twitterbot/1.0"):
        client.get(f"/s/{code}", headers={"user-agent": agent}, follow_redirects=False)
    click_count()
    stats = client.get("/api/v1/me/referral/stats", headers=headers)
    assert stats.status_code == 200
    body = stats.json()
    assert (body["clicks"], body["previews"], body["orders"], body["gmv_fen"]) == (2, 1, 0, 0)
    assert body["shares"][0]["code"] == code and body["shares"][0]["clicks"] == 2
    assert client.get("/api/v1/me/referral/stats",
                      headers=auth(make_user())).status_code == 403
