"""Issue #14's promoter tools and consoles in a real browser at 375 px (screenshots in
test-artifacts/, axe's contrast and target-size rules on each page touched)."""

import pytest

from quanzi.referral import services as referral
from tests.factories import PASSWORD, make_supplier, make_user
from tests.web import order_data
from tests.web.axe import assert_contrast, assert_tappable
from tests.web.data import world

pytestmark = pytest.mark.browser


def test_a_promoter_picks_a_product_adds_it_to_the_shop_and_shares_it(visitor):
    given = world()
    promoter = visitor()
    promoter.sign_in(given.promoter, PASSWORD)
    promoter.page.goto("/promoter")
    with promoter.page.expect_navigation():
        promoter.page.click("[data-testid=picker-link]")
    row = promoter.page.locator(f"[data-testid=pick-{given.product_id}]")
    assert row.locator(f"[data-testid=earn-{given.product_id}]").text_content() == "赚¥5.00"
    assert promoter.scroll_width() <= 375
    assert_tappable(promoter.page)
    assert_contrast(promoter.page)
    promoter.shot("promoter-picker")

    promoter.page.click(f"[data-testid=add-{given.product_id}]")
    promoter.page.wait_for_selector(f"[data-testid=in-shop-{given.product_id}]")
    promoter.page.click(f"[data-testid=share-{given.product_id}]")
    sheet = promoter.page.wait_for_selector("#share [data-testid=share-sheet]")
    assert "每卖出一件，你赚 ¥5.00" in (sheet.text_content() or "").replace("\n", " ")
    assert promoter.page.locator("[data-testid=share-sheet]").count() == 1
    assert_tappable(promoter.page)
    promoter.shot("promoter-picker-share")

    promoter.page.goto("/promoter/shop")
    assert "赣南脐橙" in promoter.page.text_content("main") or ""
    promoter.page.goto("/promoter")
    shared = promoter.page.text_content("table") or ""
    assert "赣南脐橙" in shared and "#" not in shared
    promoter.shot("promoter-my-shares")
    assert promoter.errors == []


def test_a_supplier_ships_two_orders_at_once_from_the_queue(visitor):
    shop = order_data.shop("鲜果园")
    first, second, later = (order_data.order(shop) for _ in range(3))
    seller = visitor()
    seller.sign_in(shop.staff.email or "", PASSWORD)
    seller.page.goto("/supplier")
    row_height = seller.page.locator(f"[data-testid=tracking-{first}]").bounding_box()
    assert row_height is not None and row_height["height"] <= 48  # not 128 px
    assert seller.scroll_width() <= 375
    assert_tappable(seller.page, within="#ship-queue")
    assert_contrast(seller.page)
    for order_id, carrier, typed in ((first, "中通", "7530 1234 5678"),
                                     (second, "极兔", "jt-0011-2233")):
        seller.page.check(f"[data-testid=tick-{order_id}]")
        seller.page.select_option(f"[data-testid=carrier-{order_id}]", carrier)
        seller.page.fill(f"[data-testid=tracking-{order_id}]", typed)
    seller.shot("supplier-batch-ship-ticked")
    with seller.page.expect_navigation():
        seller.page.click("[data-testid=ship-batch]")
    report = seller.page.text_content("[data-testid=ship-report]") or ""
    assert "已发货 2 单" in report and f"订单 {first}" in report and f"订单 {second}" in report
    assert seller.page.locator(f"[data-testid=to-ship-{later}]").count() == 1
    assert seller.page.locator(f"[data-testid=shipped-{first}]").count() == 1
    assert "JT00112233" in (seller.page.text_content(f"[data-testid=shipped-{second}]") or "")
    assert seller.scroll_width() <= 375
    seller.shot("supplier-batch-ship-report")
    assert seller.errors == []


def test_an_operator_goes_from_the_home_to_the_refunds_to_decide(visitor):
    at = order_data.shop("茶园")
    order_data.order(at)
    refunded = order_data.order(at, "refunded")
    operator = visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator")
    assert operator.page.text_content("[data-testid=today-refunds] .stat-value") == "¥30.00"
    assert operator.page.text_content("[data-testid=today-net] .stat-value") == "¥30.00"
    todo = operator.page.wait_for_selector("[data-testid=todo-to-ship]")
    assert (todo.text_content() or "").endswith("1")
    assert operator.scroll_width() <= 375
    assert_tappable(operator.page, within="#home-queues")
    assert_contrast(operator.page)
    operator.shot("operator-home")
    with operator.page.expect_navigation():
        operator.page.click("[data-testid=todo-refunds]")
    assert operator.page.url.endswith("/operator/orders?status=after_sales")
    assert operator.page.locator(f"[data-testid=order-{refunded}]").count() == 1
    operator.page.fill("[data-testid=order-search] input[name=q]", str(refunded))
    with operator.page.expect_navigation():
        operator.page.click("[data-testid=order-search] button")
    assert operator.page.locator("[data-testid=order-rows] > li").count() == 1
    assert operator.page.locator("[data-testid=export-csv]").is_visible()
    assert operator.scroll_width() <= 375
    operator.shot("operator-orders-after-sales-search")
    assert operator.errors == []


def test_people_and_accounts_are_named_and_the_buyer_sees_no_settlement(visitor):
    at = order_data.shop("茶园")
    buyer = make_user(name="小王")
    order_id = order_data.order(at, "settled", buyer=buyer)
    referral.apply(user_id=make_user(name="阿强").id)
    operator, shopper = visitor(), visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator/promoters")
    assert operator.page.text_content("[data-testid=promoter-name]") == "阿强"
    assert operator.scroll_width() <= 375
    assert_tappable(operator.page, within="main")
    operator.shot("operator-promoter-review")
    operator.page.goto("/operator/ledger")
    assert "担保账户" in (operator.page.text_content("[data-testid=account-escrow]") or "")
    assert "供应商:茶园" in (operator.page.text_content("table") or "")
    operator.shot("operator-ledger-named")
    shopper.sign_in(buyer.email or "", PASSWORD)
    shopper.page.goto(f"/orders/{order_id}")
    assert "结算" not in (shopper.page.text_content("[data-testid=timeline]") or "")
    assert shopper.scroll_width() <= 375
    shopper.shot("buyer-order-timeline")
    assert operator.errors == [] and shopper.errors == []


def test_an_operator_creates_a_supplier_staff_account(visitor):
    supplier_id = make_supplier("鲜果园")
    operator = visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator/suppliers")
    card = operator.page.locator(f"[data-testid=supplier-{supplier_id}]")
    card.locator("summary:has-text('新增员工账号')").click()
    form = card.locator(f"[data-testid=staff-form-{supplier_id}]")
    form.locator("input[name=name]").fill("仓库阿华")
    form.locator("input[name=login]").fill("13800138000")
    form.locator("input[name=password]").fill("Qz-staff-2026!")
    assert operator.scroll_width() <= 375
    operator.shot("operator-new-staff-form")
    with operator.page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert operator.page.locator("[data-testid=staff-added]").is_visible()
    assert "仓库阿华 138****8000" in (card.locator(f"[data-testid=staff-{supplier_id}]")
                                     .text_content() or "")
    operator.shot("operator-staff-created")
    staff = visitor()
    staff.sign_in("13800138000", "Qz-staff-2026!")
    staff.page.goto("/supplier")
    assert staff.page.locator("h1").text_content() == "供货商后台"
    assert operator.errors == [] and staff.errors == []


def test_an_operator_types_commission_rates_as_percentages(visitor):
    order_data.shop("茶园")  # a category to set a rate on
    operator = visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator/rates")
    row = operator.page.locator("tr[data-testid^=rate-]").first
    row.locator("input[name^=level1_pct]").fill("12.5")
    assert operator.scroll_width() <= 375
    with operator.page.expect_navigation():
        operator.page.click("button:has-text('保存分类佣金')")
    assert operator.page.locator("input[name^=level1_pct]").first.input_value() == "12.5"
    operator.shot("operator-rates-percent")
    operator.page.goto("/operator/rules")
    assert operator.page.input_value("input[name=level1_pct]") == "10"
    operator.shot("operator-rules-percent")
    assert operator.errors == []
