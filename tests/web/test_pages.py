"""The pages without a browser: sessions, CSRF, languages, the buyer's journey by forms."""

from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.web.kit import i18n
from tests.factories import make_product, make_supplier, make_user
from tests.web.helpers import csrf_of, form_post, sign_in


def test_register_signs_in_with_an_httponly_lax_cookie(client):
    token = csrf_of(client.get("/register").text)
    response = client.post("/register", data={"name": "小红", "login": "xh@example.cn",
                                              "password": "long-enough-1", "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "qz_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "小红" in client.get("/").text


def test_wrong_password_is_refused_without_a_session(client):
    user = make_user()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"login": user.email, "password": "nope-nope",
                                           "csrf_token": token})
    assert response.status_code == 401 and "账号或密码错误" in response.text
    assert "qz_session" not in client.cookies


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(client):
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("1kg", 990, 5)])
    user = make_user()
    sign_in(client, user.email)
    page = client.get(f"/checkout?product=1&sku={sku}&qty=1")
    assert page.status_code == 200
    form = {"line": f"1-{sku}-1", "name": "张三", "phone": "13800138000",
            "region": "上海", "detail": "世纪大道 1 号", "key": "k1"}
    refused = client.post("/checkout", data=form, follow_redirects=False)
    wrong = client.post("/checkout", data={**form, "csrf_token": "x" * 64},
                        follow_redirects=False)
    assert refused.status_code == 403 and wrong.status_code == 403
    with read_session() as session:
        assert session.query(Order).count() == 0


def test_english_by_accept_language_and_by_the_switch(client):
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert '<html lang="en">' in english and "Sign in" in english and "登录" not in english
    chinese = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert '<html lang="zh-CN">' in chinese and "登录" in chinese
    client.get("/lang/en", follow_redirects=False)
    assert '<html lang="en">' in client.get("/").text


def test_every_template_message_has_an_english_translation():
    import re

    from quanzi.web.kit.templating import TEMPLATES_DIR

    wanted = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        wanted |= set(re.findall(r'_\("([^"]+)"', path.read_text()))
    missing = sorted(m for m in wanted if m not in i18n.catalog("en"))
    assert missing == []


def test_buy_pay_and_confirm_through_the_forms(client):
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("1kg", 990, 5)], title="脐橙")
    sign_in(client, make_user().email)
    checkout = f"/checkout?product=1&sku={sku}&qty=2"
    assert "¥19.80" in client.get(checkout).text
    placed = form_post(client, checkout, "/checkout",
                       {"line": f"1-{sku}-2", "name": "张三", "phone": "13800138000",
                        "region": "上海", "detail": "世纪大道 1 号", "key": "k1"})
    assert placed.status_code == 303 and placed.headers["location"].startswith("/sandbox/pay/")
    pay_page = placed.headers["location"]
    assert "¥19.80" in client.get(pay_page).text
    paid = form_post(client, pay_page, pay_page)
    assert paid.status_code == 303
    order_page = client.get(paid.headers["location"]).text
    assert "待发货" in order_page and 'data-testid="timeline"' in order_page


def test_malformed_product_ids_are_404_pages(client):
    for raw in ("0", "abc", "9" * 5000, "١٢", "99999999999", "-1"):
        response = client.get(f"/p/{raw}")
        assert response.status_code == 404, raw
        assert "text/html" in response.headers["content-type"]
