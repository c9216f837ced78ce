"""The address book in a real browser at 375 px (screenshots in test-artifacts/): a buyer
with no address buys a product, fills the address by 智能填写 and corrects it in the
省/市/区 picker, pays; the next purchase shows 选择收货地址 with that address chosen."""

import pytest

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import PASSWORD, make_user
from tests.web import campaign_data as data
from tests.web.axe import assert_contrast, assert_readable, assert_tappable
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.conftest import Visitor

pytestmark = pytest.mark.browser
PASTED = "13912345678 李四 广东省深圳市南山区科技园科苑路15号"


def _buy_now(buyer: Visitor, product_id: int) -> None:
    buyer.page.goto(f"/p/{product_id}")
    with buyer.page.expect_navigation():
        buyer.page.click("main [data-testid=buy-now]:visible, button[form=buy-form]")
    assert "/checkout" in buyer.page.url


def _submit_and_pay(buyer: Visitor) -> None:
    with buyer.page.expect_navigation():
        buyer.page.click("#checkout-form button[type=submit]:visible, button[form=checkout-form]")
    assert "/sandbox/pay/" in buyer.page.url, buyer.page.content()
    with buyer.page.expect_navigation():
        buyer.page.click("text=确认支付")


def _selected(buyer: Visitor, testid: str) -> str:
    return str(buyer.page.eval_on_selector(
        f"[data-testid={testid}]", "s => s.options[s.selectedIndex].text"))


def test_first_purchase_fills_the_address_and_the_second_finds_it_chosen(visitor):
    given = data.goods()
    with read_session() as session:
        product_id = session.get_one(Sku, given.sku_id).product_id
    user = make_user(name="李四")
    buyer = visitor()
    buyer.sign_in(user.email or "", PASSWORD)
    _buy_now(buyer, product_id)
    page = buyer.page
    card = page.locator("[data-testid=address-card]")
    assert card.locator("[data-testid=region-picker]").is_visible()
    assert card.locator("input[name=address_id]").count() == 0  # no book yet: the fields

    # 智能填写: the pasted text fills name, phone, detail and the picker
    page.fill("[data-testid=paste-address]", PASTED)
    page.click("[data-testid=smart-fill]")
    page.wait_for_function(
        "document.querySelector('[data-testid=pick-district]').value === '440305'")
    assert page.input_value("input[name=name]") == "李四"
    assert page.input_value("input[name=phone]") == "13912345678"
    assert page.input_value("input[name=detail]") == "科技园科苑路15号"
    assert [_selected(buyer, t) for t in ("pick-province", "pick-city", "pick-district")] == [
        "广东省", "深圳市", "南山区"]
    buyer.shot("address-1-smart-fill")

    # the picker corrects the district; the region follows
    page.select_option("[data-testid=pick-district]", label="福田区")
    assert page.input_value("input[name=region]") == "广东省 深圳市 福田区"
    assert page.input_value("input[name=region_code]") == "440304"
    assert buyer.scroll_width() <= 375
    assert_readable(page)
    buyer.shot("address-2-picker")
    _submit_and_pay(buyer)

    with read_session() as session:
        (order,) = session.query(Order).filter_by(buyer_id=user.id).all()
        (kept,) = accounts.list_addresses(session, user.id)
    assert order.status == "paid"
    assert order.address == {"name": "李四", "phone": "13912345678",
                             "region": "广东省 深圳市 福田区", "detail": "科技园科苑路15号"}
    assert (kept.region_code, kept.is_default) == ("440304", True)

    # the second purchase: 选择收货地址 with that address chosen, 更换 holds the rest
    _buy_now(buyer, product_id)
    chosen = page.locator(f"[data-testid=address-option-{kept.id}]")
    assert chosen.is_visible() and chosen.locator("input").is_checked()
    assert "139****5678" in (chosen.text_content() or "")
    assert "福田区" in (chosen.text_content() or "")
    assert not page.locator("[data-testid=region-picker]").is_visible()  # behind 更换
    assert_readable(page)
    assert_contrast(page)
    assert_tappable(page, "[data-testid=address-card]")
    buyer.shot("address-3-second-checkout")
    page.click("[data-testid=address-change]")
    assert page.locator("[data-testid=address-new]").is_visible()
    buyer.shot("address-4-change")
    page.click("[data-testid=address-change]")
    _submit_and_pay(buyer)
    with read_session() as session:
        orders = session.query(Order).filter_by(buyer_id=user.id).order_by(Order.id).all()
        assert len(accounts.list_addresses(session, user.id)) == 1
    assert [o.address["region"] for o in orders] == ["广东省 深圳市 福田区"] * 2
    assert buyer.errors == []


def test_the_address_book_page_is_readable_and_adds_with_the_picker(visitor):
    user = make_user(name="王五")
    buyer = visitor()
    buyer.sign_in(user.email or "", PASSWORD)
    page = buyer.page
    page.goto("/me/addresses")
    page.wait_for_function(
        "document.querySelector('[data-testid=pick-province]').options.length > 30")
    page.fill("input[name=name]", "王五")
    page.fill("input[name=phone]", "150 0000 1111")
    page.select_option("[data-testid=pick-province]", label="北京市")
    page.wait_for_function(
        "document.querySelector('[data-testid=pick-city]').options.length > 1")
    page.select_option("[data-testid=pick-city]", label="北京市")
    page.wait_for_function(
        "document.querySelector('[data-testid=pick-district]').options.length > 1")
    page.select_option("[data-testid=pick-district]", label="朝阳区")
    page.fill("input[name=detail]", "建国路 88 号")
    assert page.input_value("input[name=region]") == "北京市 朝阳区"
    assert buyer.scroll_width() <= 375
    assert_readable(page)
    assert_contrast(page)
    assert_tappable(page)
    buyer.shot("address-5-book")
    with page.expect_navigation():
        page.click("form[action='/me/addresses'] button[type=submit]")
    with read_session() as session:
        (kept,) = accounts.list_addresses(session, user.id)
    assert (kept.region, kept.region_code, kept.phone) == ("北京市 朝阳区", "110105",
                                                           "15000001111")
    assert "北京市 朝阳区 建国路 88 号" in (page.text_content("main") or "")
    assert buyer.errors == []


def test_every_campaign_buy_form_shows_the_card_with_the_default_chosen(visitor):
    given = data.goods()
    pages = {"flash": f"/flash/{data.flash(given)}",
             "group": f"/group-buys/{data.group_buy(given)}",
             "tiered": f"/tiered/{data.tiered(given)}"}
    user = make_user(name="赵六")
    kept = accounts.add_address(user.id, AddressIn(
        name="赵六", phone="13700002222", region="", region_code="310115",
        detail="世纪大道 100 号"))
    buyer = visitor()
    buyer.sign_in(user.email or "", PASSWORD)
    for name, path in pages.items():
        buyer.page.goto(path)
        chosen = buyer.page.locator(f"#buy [data-testid=address-option-{kept.id}]")
        assert chosen.is_visible() and chosen.locator("input").is_checked(), name
        assert "上海市 浦东新区 世纪大道 100 号" in (chosen.text_content() or "")
        assert buyer.scroll_width() <= 375
        assert_tappable(buyer.page, "[data-testid=address-card]")
        buyer.shot(f"address-6-{name}-card")
    assert buyer.errors == []
