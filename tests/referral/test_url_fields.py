"""URLs taken from users (a shop's avatar, a product's pictures) are http(s) URLs or paths
on this site; anything else (``javascript:``, ``data:``, ``//other.site``) is a 422 that
changes nothing."""

import pytest

from quanzi.core.urls import is_web_url
from tests.factories import auth, make_supplier, make_user
from tests.referral.conftest import approved_promoter

REFUSED = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
           "java\tscript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>",
           "vbscript:msgbox(1)", "//evil.example/a.png", "/\\evil.example/a.png",
           "ftp://files.example/a.png", "http:///a.png", "https://", "/a b.png",
           'https://cdn.example/a.png"onerror="alert(1)', ""]
ACCEPTED = ["https://cdn.example.cn/a.png", "http://img.example.cn/a.png?x=1",
            "/media/avatars/7.png", "/static/logo.png"]


def test_the_rule():
    assert [u for u in ACCEPTED if not is_web_url(u)] == []
    assert [u for u in REFUSED if is_web_url(u)] == []


@pytest.mark.parametrize("url", REFUSED[:-1])
def test_a_shop_avatar_that_is_not_a_web_url_is_refused_and_nothing_changes(client, url):
    headers = auth(approved_promoter())
    kept = client.put("/api/v1/me/shop", json={"name": "小铺", "avatar_url": ACCEPTED[0]},
                      headers=headers).json()

    refused = client.put("/api/v1/me/shop", json={"name": "新名字", "avatar_url": url},
                         headers=headers)

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "validation_error"
    assert client.get("/api/v1/me/shop", headers=headers).json() == kept


@pytest.mark.parametrize("url", ACCEPTED)
def test_a_web_url_or_site_path_is_a_good_avatar(client, url):
    headers = auth(approved_promoter())
    saved = client.put("/api/v1/me/shop", json={"name": "小铺", "avatar_url": url},
                       headers=headers)
    assert saved.status_code == 200 and saved.json()["avatar_url"] == url


def test_product_pictures_follow_the_same_rule(client):
    supplier_id = make_supplier()
    operator = auth(make_user("operator"))
    body = {"supplier_id": supplier_id, "title": "苹果", "skus": [
        {"spec": "1kg", "price_fen": 990, "stock": 5}]}
    for url in ("javascript:alert(1)", "//evil.example/a.png", "http:///a.png"):
        refused = client.post("/api/v1/products", json={**body, "images": [url]}, headers=operator)
        assert refused.status_code == 422, url
    assert client.get("/api/v1/products").json()["items"] == []
    made = client.post("/api/v1/products", json={**body, "images": ["https://cdn.example.cn/a.png"]},
                       headers=operator)
    assert made.status_code == 201 and made.json()["images"] == ["https://cdn.example.cn/a.png"]
