"""The buyer's campaign and shop pages in a real browser at 375 px (issue #14, the
buyer's path; screenshots in test-artifacts/)."""

import pytest

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from tests.factories import PASSWORD, make_user
from tests.web import campaign_data as data
from tests.web.axe import assert_readable
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.conftest import Visitor
from tests.web.test_bargain_wechat import WECHAT

pytestmark = pytest.mark.browser


def _signed_in(visitor, name: str) -> Visitor:  # type: ignore[no-untyped-def]
    person: Visitor = visitor()
    person.sign_in(make_user(name=name).email or "", PASSWORD)
    return person


def _fill_address(person: Visitor) -> None:
    page = person.page
    page.fill("#buy input[name=name]", "张三")
    page.fill("#buy input[name=phone]", "13800138000")
    page.fill("#buy input[name=region]", "上海市 浦东新区")
    page.fill("#buy input[name=detail]", "世纪大道 100 号")


def _submit_and_pay(person: Visitor) -> None:
    with person.page.expect_navigation():
        person.page.click("#buy button[type=submit]:visible, button[form=buy]")
    assert "/sandbox/pay/" in person.page.url, person.page.content()
    with person.page.expect_navigation():
        person.page.click("text=确认支付")


def test_after_opening_a_group_the_buyer_lands_on_it_and_invites_friends(visitor):
    deal = data.group_buy(data.goods(), size=3)
    buyer = _signed_in(visitor, "开团人")
    buyer.page.goto(f"/group-buys/{deal}")
    assert buyer.page.locator("[data-testid=campaign-share]").is_visible()
    _fill_address(buyer)
    _submit_and_pay(buyer)

    assert "/groups/1?paid=" in buyer.page.url
    invite = buyer.page.locator("[data-testid=invite-friends]")
    assert invite.is_visible() and invite.text_content() == "邀请好友参团"
    assert invite.bounding_box()["height"] >= 44  # type: ignore[index]
    assert buyer.page.locator("[data-testid=paid]").is_visible()
    assert buyer.scroll_width() <= 375
    buyer.shot("buyer-group-paid-invite")
    invite.click()
    assert buyer.page.url.endswith("#share")
    assert buyer.page.locator("#share [data-testid=page-link]").is_visible()
    assert buyer.page.input_value("#share [data-testid=page-link]").endswith("/groups/1")
    assert buyer.errors == []


def test_tiered_and_presale_pages_offer_the_share_sheet(visitor):
    given = data.goods()
    buyer = _signed_in(visitor, "小李")
    for name, path in (("tiered", f"/tiered/{data.tiered(given)}"),
                       ("presale", f"/presales/{data.presale(given)}")):
        buyer.page.goto(path)
        sheet = buyer.page.locator("[data-testid=campaign-share]")
        assert sheet.is_visible(), name
        assert buyer.page.input_value("[data-testid=page-link]").endswith(path)
        assert buyer.scroll_width() <= 375
        buyer.page.locator("[data-testid=campaign-share]").scroll_into_view_if_needed()
        buyer.shot(f"buyer-{name}-share")
    assert buyer.errors == []


def test_a_signed_in_shopper_copies_a_products_link(visitor):
    with read_session() as session:
        product_id = session.get_one(Sku, data.goods().sku_id).product_id
    shopper = _signed_in(visitor, "小王")
    shopper.page.goto(f"/p/{product_id}")
    link = shopper.page.locator("[data-testid=campaign-share] [data-testid=page-link]")
    assert link.is_visible() and link.input_value().endswith(f"/p/{product_id}")
    assert shopper.page.locator("text=分享赚佣金").count() == 0
    shopper.page.locator("[data-testid=campaign-share]").scroll_into_view_if_needed()
    shopper.shot("buyer-product-share")
    assert shopper.errors == []


def test_a_bargain_run_leads_with_the_invite_and_keeps_fairness_behind_a_link(visitor):
    bargain = data.bargain(data.goods(), helps=2)
    owner = _signed_in(visitor, "砍价人")
    owner.page.goto(f"/bargains/{bargain}")
    with owner.page.expect_navigation():
        owner.page.click("[data-testid=start-bargain] button")
    assert owner.page.locator("[data-testid=starter-cut]").is_visible()
    invite = owner.page.locator("[data-testid=invite-friends]")
    assert invite.is_visible() and invite.text_content() == "邀请好友帮砍"
    assert invite.bounding_box()["height"] >= 44  # type: ignore[index]
    assert not owner.page.locator("[data-testid=commitment-hash]").is_visible()
    assert owner.scroll_width() <= 375
    owner.shot("buyer-bargain-run-invite")
    owner.page.click("[data-testid=commitment] summary")
    assert owner.page.locator("[data-testid=commitment-hash]").is_visible()
    invite.click()
    assert owner.page.locator("#share [data-testid=page-link]").is_visible()

    wechat = visitor(user_agent=WECHAT["User-Agent"])
    wechat.page.goto(owner.page.url.split("#", 1)[0])
    guide = wechat.page.locator("[data-testid=helps-off]")
    assert guide.is_visible() and "在浏览器打开" in (guide.text_content() or "")
    assert wechat.page.locator("[data-testid=invite-friends]").count() == 0
    assert wechat.page.locator("[data-testid=help]").count() == 0
    wechat.shot("buyer-bargain-run-wechat")
    assert owner.errors == [] and wechat.errors == []


def test_the_phone_shop_chrome_adds_to_the_cart_in_place_and_buys_from_the_bar(visitor):
    given = data.goods()
    with read_session() as session:
        product_id = session.get_one(Sku, given.sku_id).product_id
    data.flash(data.goods())  # another product's live sale: the home strip's clock
    shopper = _signed_in(visitor, "小赵")
    shopper.page.goto("/")
    tabbar = shopper.page.locator("[data-testid=tabbar]")
    assert tabbar.is_visible() and tabbar.bounding_box()["height"] >= 44  # type: ignore[index]
    assert shopper.page.locator("[data-testid=strip-clock]").first.is_visible()
    assert_readable(shopper.page)
    shopper.shot("buyer-home-tabbar")

    shopper.page.goto(f"/p/{product_id}")
    bar = shopper.page.locator("[data-testid=buybar]")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 812 + 1  # pinned at the bottom
    assert shopper.page.text_content("[data-testid=buybar-price]") == "¥50.00"
    plus = shopper.page.locator("[data-step='1']")
    assert plus.bounding_box()["height"] >= 44  # type: ignore[index]
    plus.click()
    assert shopper.page.input_value("#buy-form input[name=quantity]") == "2"
    url = shopper.page.url
    shopper.page.click("[data-testid=add-to-cart]")
    shopper.page.locator("[data-testid=toast]").wait_for()
    assert shopper.page.url == url  # still on the product page
    assert shopper.page.locator(".toast--on").is_visible()
    assert_readable(shopper.page)
    assert shopper.scroll_width() <= 375
    shopper.shot("buyer-product-added-to-cart")

    with shopper.page.expect_navigation():
        shopper.page.click("[data-testid=buybar-button]")
    assert "/checkout" in shopper.page.url and "qty=2" in shopper.page.url
    assert shopper.page.text_content("[data-testid=buybar-price]") == "¥100.00"
    assert_readable(shopper.page)
    shopper.shot("buyer-checkout-bar")
    shopper.page.goto("/cart")
    assert shopper.page.text_content("[data-testid=cart-badge]") == "2"  # two of one product
    assert shopper.errors == []


def test_campaign_pages_pass_axe_with_the_bar_and_a_fresh_flash_bar_is_empty(visitor):
    given = data.goods()
    sale = data.flash(given, stock=5)
    buyer = _signed_in(visitor, "小钱")
    buyer.page.goto(f"/flash/{sale}")
    assert buyer.page.get_attribute("[data-testid=sold-bar]", "style") == "width: 0%"
    assert buyer.page.text_content("[data-testid=sold-percent]") == "已抢 0%"
    assert buyer.page.locator("[data-testid=buybar-button]").is_visible()
    buyer.shot("buyer-flash-fresh")
    for path in (f"/flash/{sale}", f"/group-buys/{data.group_buy(given)}",
                 f"/tiered/{data.tiered(given)}", f"/presales/{data.presale(given)}",
                 f"/bargains/{data.bargain(given)}"):
        buyer.page.goto(path)
        assert_readable(buyer.page)
        assert buyer.scroll_width() <= 375
    assert buyer.errors == []
