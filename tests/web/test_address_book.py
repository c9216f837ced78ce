"""The address book filled from the buy forms: a typed address is kept once (a retried
checkout adds nothing), the picker's code writes the region, the next buy page shows the
选择收货地址 card with it chosen, and 智能填写's page endpoint."""

from fastapi.testclient import TestClient

from quanzi.accounts import services as accounts
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import ADDRESS, make_product, make_supplier, make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, sign_in


def _buyer(app) -> tuple[TestClient, int]:  # type: ignore[no-untyped-def]
    user = make_user()
    browser = TestClient(app)
    sign_in(browser, user.email or "")
    return browser, user.id


def _checkout(browser: TestClient, sku_id: int) -> tuple[str, dict[str, str]]:
    from quanzi.catalog.models import Sku

    with read_session() as session:
        product_id = session.get_one(Sku, sku_id).product_id
    page = browser.get(f"/checkout?product={product_id}&sku={sku_id}&qty=1").text
    line = page.split('name="line" value="', 1)[1].split('"', 1)[0]
    key = page.split('name="key" value="', 1)[1].split('"', 1)[0]
    return page, {"line": line, "key": key, "csrf_token": csrf_of(page)}


def _book(user_id: int) -> list:
    with read_session() as session:
        return accounts.list_addresses(session, user_id)


def _orders(buyer_id: int) -> list[Order]:
    with read_session() as session:
        return list(session.query(Order).filter_by(buyer_id=buyer_id).order_by(Order.id))


def test_a_typed_address_is_kept_once_even_when_the_checkout_is_sent_twice(app):
    (sku_id,) = make_product(make_supplier(), [("1盒", 5000, 10)])
    buyer, buyer_id = _buyer(app)
    page, form = _checkout(buyer, sku_id)
    assert 'data-testid="address-card"' in page and 'name="address_id"' not in page
    first = buyer.post("/checkout", data={**ADDRESS, **form}, follow_redirects=False)
    again = buyer.post("/checkout", data={**ADDRESS, **form}, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(_orders(buyer_id)) == 1
    (kept,) = _book(buyer_id)
    assert (kept.name, kept.phone, kept.region, kept.detail, kept.is_default) == (
        ADDRESS["name"], ADDRESS["phone"], ADDRESS["region"], ADDRESS["detail"], True)


def test_the_next_buy_page_shows_the_card_with_the_default_chosen(app):
    (sku_id,) = make_product(make_supplier(), [("1盒", 5000, 10)])
    buyer, buyer_id = _buyer(app)
    _, form = _checkout(buyer, sku_id)
    buyer.post("/checkout", data={**ADDRESS, **form}, follow_redirects=False)
    (kept,) = _book(buyer_id)
    page, form = _checkout(buyer, sku_id)
    card = page.split('data-testid="address-card"', 1)[1].split("</section>", 1)[0]
    assert "选择收货地址" in card and "更换" in card and "使用新地址" in card
    assert f'name="address_id" value="{kept.id}" checked' in card
    assert "138****8000" in card and "13800138000" not in card
    second = buyer.post("/checkout", data={"address_id": str(kept.id), **form},
                        follow_redirects=False)
    assert second.status_code == 303
    assert [o.address["detail"] for o in _orders(buyer_id)] == [ADDRESS["detail"]] * 2
    assert len(_book(buyer_id)) == 1


def test_the_pickers_code_writes_the_region_on_the_order_and_in_the_book(app):
    (sku_id,) = make_product(make_supplier(), [("1盒", 5000, 10)])
    buyer, buyer_id = _buyer(app)
    _, form = _checkout(buyer, sku_id)
    picked = {**ADDRESS, "region": "乱写的", "region_code": "440305"}
    assert buyer.post("/checkout", data={**picked, **form},
                      follow_redirects=False).status_code == 303
    (order,) = _orders(buyer_id)
    assert order.address == {**ADDRESS, "region": "广东省 深圳市 南山区"}
    (kept,) = _book(buyer_id)
    assert (kept.region, kept.region_code) == ("广东省 深圳市 南山区", "440305")


def test_a_refused_checkout_keeps_nothing_in_the_book(app):
    (sku_id,) = make_product(make_supplier(), [("1盒", 5000, 10)])
    buyer, buyer_id = _buyer(app)
    _, form = _checkout(buyer, sku_id)
    refused = buyer.post("/checkout", data={**ADDRESS, "phone": "123", **form})
    assert refused.status_code == 422
    assert 'value="123"' in refused.text  # what was typed stays
    assert _orders(buyer_id) == [] and _book(buyer_id) == []


def test_a_campaign_buy_keeps_its_typed_address_too(app):
    sale = data.flash(data.goods())
    buyer, buyer_id = _buyer(app)
    page = buyer.get(f"/flash/{sale}").text
    assert 'data-testid="address-card"' in page and 'data-testid="region-picker"' in page
    key = page.split('name="key" value="', 1)[1].split('"', 1)[0]
    bought = buyer.post(f"/flash/{sale}/buy", follow_redirects=False, data={
        **ADDRESS, "region_code": "110105", "key": key, "csrf_token": csrf_of(page)})
    assert bought.status_code == 303, bought.text
    (kept,) = _book(buyer_id)
    assert (kept.region, kept.region_code, kept.is_default) == ("北京市 朝阳区", "110105", True)


def test_the_address_page_saves_a_picked_region_and_reads_a_pasted_address(app):
    buyer, buyer_id = _buyer(app)
    page = buyer.get("/me/addresses").text
    assert 'data-testid="region-picker"' in page and 'data-testid="smart-fill"' in page
    token = csrf_of(page)
    found = buyer.post("/me/addresses/parse", headers={"X-CSRF-Token": token},
                       data={"text": "13912345678 李四 广东省深圳市南山区科苑路15号"})
    assert found.status_code == 200
    assert found.json() == {"name": "李四", "phone": "13912345678", "province": "广东省",
                            "city": "深圳市", "district": "南山区", "region_code": "440305",
                            "region": "广东省 深圳市 南山区", "detail": "科苑路15号"}
    assert buyer.post("/me/addresses/parse", data={"text": "李四"}).status_code == 403
    saved = buyer.post("/me/addresses", follow_redirects=False, data={
        **{k: v for k, v in found.json().items() if k in ("name", "phone", "detail")},
        "region": "", "region_code": "440305", "csrf_token": token})
    assert saved.status_code == 303
    assert [(a.region, a.region_code) for a in _book(buyer_id)] == [
        ("广东省 深圳市 南山区", "440305")]
