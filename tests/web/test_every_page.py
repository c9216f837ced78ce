"""Every page loads for each role at 375 px: no console error, no horizontal scroll;
screenshots of the main pages go to test-artifacts/. Plus CSRF and English in the browser."""

import pytest

from quanzi.accounts.models import AuthToken
from quanzi.core.db import read_session
from quanzi.orders import paying
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.referral import shops
from quanzi.referral.schemas import ShopIn
from tests.campaigns.listing_data import one_of_each, operator
from tests.factories import ADDRESS, make_user
from tests.web.campaign_data import clean_redis, deposit_paid_order, every_page  # noqa: F401
from tests.web.data import PASSWORD, world

pytestmark = pytest.mark.browser


def _pages() -> dict[str, tuple[str | None, list[str]]]:
    """role → (login, pages), with an unpaid order, a payment and a micro-shop in place."""
    given = world()
    one_of_each(operator(), given.sku_id)  # the home page's 活动, the product's badges
    buyer = make_user(name="买家")
    order = place_order(buyer_id=buyer.id, idempotency_key="every-page", data=OrderCreate(
        items=[{"sku_id": given.sku_id, "quantity": 2}], address=ADDRESS))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer.id,
                                  provider_name="sandbox", idempotency_key="every-page")
    shop = shops.save_shop(promoter_user_id=given.promoter_id, data=ShopIn(name="小美的果园"))
    campaign = list(every_page().values())  # the buyer's campaign pages (web/campaigns/)
    presale_order = deposit_paid_order(buyer.id)
    shops.set_items(promoter_user_id=given.promoter_id, product_ids=[given.product_id])
    return {
        "visitor": (None, ["/", f"/p/{given.product_id}", "/login", "/register", "/cart",
                           f"/shop/{shop.code}", "/?q=脐橙", "/paste", *campaign]),
        "consumer": (buyer.email, ["/orders", f"/orders/{order.id}", "/promoter",
                                   f"/checkout?product={given.product_id}&sku={given.sku_id}&qty=1",
                                   f"/sandbox/pay/{intent.payment_id}", *campaign,
                                   f"/orders/{presale_order}", "/me/addresses"]),
        "promoter": (given.promoter, ["/promoter", "/me/wallet", "/promoter/shop",
                                      "/promoter/commissions",
                                      f"/p/{given.product_id}", campaign[2], campaign[4]]),
        "leader": (make_user("leader").email, ["/me/wallet", "/"]),
        "supplier": (given.supplier, ["/supplier", f"/orders/{order.id}",
                                      "/supplier/campaigns", "/supplier/products",
                                      f"/supplier/products/{given.product_id}",
                                      "/supplier/balance", "/supplier/orders"]),
        "operator": (given.operator, ["/operator", "/operator/promoters", "/operator/rules",
                                      "/operator/payouts", "/operator/campaigns",
                                      "/operator/suppliers", "/operator/ledger", "/operator/rates",
                                      "/operator/orders", "/operator/orders?status=paid",
                                      "/supplier/products", "/supplier/balance?supplier_id=1"]),
    }


def _name(role: str, path: str) -> str:
    slug = path.strip("/").split("?")[0].replace("/", "-") or "home"
    return f"{role}-{slug}"


def test_every_page_for_every_role_fits_a_phone(visitor):
    for role, (login, paths) in _pages().items():
        person = visitor()
        if login:
            person.sign_in(login, PASSWORD)
        for path in paths:
            response = person.page.goto(path)
            assert response is not None and response.status == 200, (role, path)
            assert person.scroll_width() <= 375, (role, path, person.scroll_width())
            person.shot(_name(role, path))
        assert person.errors == [], role


def test_a_form_posted_without_its_csrf_token_is_refused(visitor):
    user = make_user()
    person = visitor()
    person.page.goto("/login")
    person.page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    person.page.fill("input[name=login]", user.email or "")
    person.page.fill("input[name=password]", PASSWORD)
    with person.page.expect_navigation():
        person.page.click("form[action='/login'] button[type=submit]")
    assert "没有权限" in person.page.content()
    assert all(c["name"] != "qz_session" for c in person.context.cookies())
    with read_session() as session:
        assert session.query(AuthToken).count() == 0


def test_english_by_accept_language(visitor):
    person = visitor(locale="en-US")
    person.page.goto("/login")
    assert person.page.get_attribute("html", "lang") == "en"
    assert person.page.text_content("h1") == "Sign in"
    assert "Good finds, shared" in person.page.content()
    person.page.click("a.lang")
    assert person.page.get_attribute("html", "lang") == "zh-CN"
