"""Pasting a share token (口令) on /paste: the click is recorded like the API's resolve, the
visitor and attribution cookies are those of /s/{code}, a later order is credited to the
sharer; garbled or unknown text shows the form again with no click; the home page links it."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.referral import clicks, redirect, services, shares
from quanzi.referral.models import Click, Commission
from tests.factories import PASSWORD, make_product, make_supplier, make_user
from tests.web.helpers import csrf_of, form_post, sign_in

WECHAT = "Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0.47 NetType/WIFI"


@pytest.fixture(autouse=True)
def _clean_buffer() -> Iterator[None]:
    """No buffered click or cached rule crosses from one test (database) to the next."""
    redirect.forget_rules()
    yield
    clicks.buffer.close()
    redirect.forget_rules()


def _shared_product() -> tuple[int, int, int, str]:
    """A ¥50.00 product shared by an approved promoter: (promoter, product, sku, code)."""
    (sku,) = make_product(make_supplier(), [("2kg", 5000, 20)], title="赣南脐橙",
                          category="水果")
    with read_session() as session:
        product_id = session.get_one(Sku, sku).product_id
    promoter = make_user(name="小美")
    services.approve(operator_id=0, promoter_id=services.apply(user_id=promoter.id).id)
    code = shares.create_share(promoter_user_id=promoter.id, product_id=product_id).code
    return promoter.id, product_id, sku, code


def _clicks() -> list[tuple[str | None, str, str | None]]:
    clicks.buffer.flush()
    with read_session() as session:
        return [(c.visitor_id, c.channel, c.referrer)
                for c in session.scalars(select(Click).order_by(Click.id))]


def test_the_home_page_links_the_paste_form(client):
    assert 'href="/paste"' in client.get("/").text
    page = client.get("/paste")
    assert page.status_code == 200
    assert "粘贴好友分享的口令" in page.text and '<textarea name="text"' in page.text
    assert csrf_of(page.text)
    assert "Paste the token a friend shared" in client.get(
        "/paste", headers={"Accept-Language": "en"}).text


def test_a_pasted_token_opens_the_share_with_the_links_cookies_and_click(client):
    _, product_id, _, code = _shared_product()
    pasted = f"【圈子】赣南脐橙 ￥{code}￥ 复制这段话打开"
    opened = form_post(client, "/paste", "/paste", {"text": pasted},
                       headers={"user-agent": WECHAT, "referer": "https://chat.example/x"})
    assert opened.status_code == 303 and opened.headers["location"] == f"/p/{product_id}"
    cookies = opened.headers.get_list("set-cookie")
    assert any(c.startswith(f"qz_share={code};") and "Max-Age=604800" in c and "HttpOnly" in c
               for c in cookies)
    visitor = next(c for c in cookies if c.startswith("qz_vid="))
    assert "Max-Age=31536000" in visitor
    visitor_id = visitor.split(";")[0].removeprefix("qz_vid=")
    assert _clicks() == [(visitor_id, "token", "https://chat.example/x")]
    again = form_post(client, "/paste", "/paste", {"text": f"/s/{code}"})  # a pasted link too
    assert again.status_code == 303
    assert not any(c.startswith("qz_vid=") for c in again.headers.get_list("set-cookie"))
    assert [c[0] for c in _clicks()] == [visitor_id, visitor_id]


def test_garbled_or_unknown_text_shows_the_form_again_and_records_no_click(client):
    _shared_product()
    for text, status, message in (("今天天气不错", 422, "没有找到口令"),
                                  ("￥ZZZZZZZZZZ￥", 404, "这个口令不存在或已失效"),
                                  ("   ", 422, "请先粘贴口令")):
        response = form_post(client, "/paste", "/paste", {"text": text})
        assert response.status_code == status, text
        assert message in response.text and 'data-testid="paste-problem"' in response.text
        assert text.strip() in response.text.split('<textarea name="text"')[1]
        assert "qz_share" not in response.headers.get("set-cookie", "")
    english = form_post(client, "/paste", "/paste", {"text": "hello"},
                        headers={"Accept-Language": "en"})
    assert english.status_code == 422 and "No token found" in english.text
    assert client.post("/paste", data={"text": "￥ZZZZZZZZZZ￥"}).status_code == 403  # no CSRF
    assert _clicks() == []


def test_an_order_after_a_pasted_token_is_credited_to_the_sharer(client):
    promoter_id, product_id, sku, code = _shared_product()
    sign_in(client, make_user(name="朋友").email, PASSWORD)
    assert form_post(client, "/paste", "/paste", {"text": f"￥{code}￥"}).status_code == 303
    assert len(_clicks()) == 1  # written, as the buffer does within half a second
    checkout = f"/checkout?product={product_id}&sku={sku}&qty=2"
    placed = form_post(client, checkout, "/checkout",
                       {"line": f"{product_id}-{sku}-2", "name": "张三", "phone": "13800138000",
                        "region": "上海", "detail": "世纪大道 1 号", "key": "paste-1"})
    assert placed.status_code == 303, placed.text
    paid = form_post(client, placed.headers["location"], placed.headers["location"])
    assert paid.status_code == 303
    with read_session() as session:
        order = session.scalars(select(Order)).one()
        commission = session.scalars(select(Commission)).one()
    assert order.attribution is not None
    assert (order.attribution["share_code"], order.attribution["promoter_id"]) == (
        code, promoter_id)
    assert (commission.beneficiary_id, commission.level, commission.amount_fen) == (
        promoter_id, 1, 1000)  # 10% of ¥100.00


@pytest.mark.browser
def test_a_visitor_pastes_a_token_and_lands_on_the_product(visitor):
    _, product_id, _, code = _shared_product()
    person = visitor()
    person.page.goto("/")
    with person.page.expect_navigation():
        person.page.click("[data-testid=paste-link]")
    assert person.page.url.endswith("/paste")
    assert person.scroll_width() <= 375
    person.page.fill("[data-testid=paste-text]", f"【圈子】赣南脐橙 ￥{code}￥ 复制打开")
    person.shot("paste-token")
    with person.page.expect_navigation():
        person.page.click("form[action='/paste'] button[type=submit]")
    assert person.page.url.endswith(f"/p/{product_id}")
    assert "赣南脐橙" in person.page.content()
    names = {c["name"]: c["value"] for c in person.context.cookies()}
    assert names.get("qz_share") == code and "qz_vid" in names
    assert person.errors == []
