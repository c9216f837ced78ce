"""In production every cookie the site sets is ``Secure`` (sent back over HTTPS only), and
``HttpOnly`` and ``SameSite=Lax`` as always (the language choice is not HttpOnly): the
share link's and the pasted token's attribution cookies, the shop's, the page session,
the anonymous CSRF seed and the cart. In development (plain http) none is Secure."""

import pytest
from fastapi.testclient import TestClient

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.referral import shares
from tests.factories import PASSWORD, auth, make_product, make_supplier, make_user
from tests.referral.conftest import approved_promoter, share_product
from tests.web.helpers import form_post


def _cookies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each cookie set by ``response``: its name → its attributes, lower case."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0]
        found[name] = header.lower()
    return found


def _all_set(client: TestClient) -> dict[str, str]:
    """Every cookie the site sets along a visitor's way: a share link, a pasted token, a
    shop, the sign-in form, a session, the cart and the language."""
    promoter = approved_promoter()
    code = share_product(promoter)
    client.put("/api/v1/me/shop", json={"name": "小铺"}, headers=auth(promoter))
    shop_url = client.get("/api/v1/me/shop", headers=auth(promoter)).json()["url"]
    link = _cookies(client.get(f"/s/{code}", follow_redirects=False))
    client.cookies.clear()
    seen = {"link qz_share": link["qz_share"], "link qz_vid": link["qz_vid"]}
    seen |= _cookies(client.get("/login"))  # the anonymous CSRF seed, qz_anon
    pasted = form_post(client, "/paste", "/paste", {"text": shares.share_out(code).token})
    seen["paste qz_share"] = _cookies(pasted)["qz_share"]
    client.cookies.clear()
    seen["shop qz_share"] = _cookies(client.get(shop_url))["qz_share"]
    seen |= _cookies(form_post(client, "/login", "/login", {
        "login": make_user().email, "password": PASSWORD, "next": "/"}))
    (sku,) = make_product(make_supplier())
    with read_session() as session:
        product_id = session.get_one(Sku, sku).product_id
    seen |= _cookies(form_post(client, f"/p/{product_id}", "/cart/add",
                               {"product_id": product_id, "sku_id": sku, "quantity": 1}))
    seen |= _cookies(client.get("/lang/en", follow_redirects=False))
    return seen


EXPECTED = {"link qz_share", "link qz_vid", "paste qz_share", "shop qz_share", "qz_anon",
            "qz_session", "qz_cart", "lang"}


@pytest.mark.parametrize("env", ["production", "development"])
def test_cookies_are_secure_in_production_only(app, settings, monkeypatch, env):
    monkeypatch.setattr(settings, "env", env)

    with TestClient(app, base_url="https://testserver") as client:  # Secure ones come back
        seen = _all_set(client)

    assert set(seen) >= EXPECTED, set(seen)
    for name in EXPECTED:
        attributes = seen[name]
        assert ("; secure" in attributes) is (env == "production"), attributes
        assert "samesite=lax" in attributes, attributes
        assert ("httponly" in attributes) is (name != "lang"), attributes
