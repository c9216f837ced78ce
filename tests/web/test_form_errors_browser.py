"""Refused forms in Chromium at 375 px: the same page again, what was typed kept, and the
reason right under the field it concerns (the field marked aria-invalid and pointing at the
reason with aria-describedby), never an error page. axe on each refused page."""

from tests.factories import PASSWORD, make_user
from tests.web import order_data as od
from tests.web.axe import assert_contrast, assert_readable


def _refused_under(person, name: str, says: str, *, error_id: str | None = None,
                   form: str = "form") -> None:
    """The field ``name`` of ``form`` is marked refused and its reason sits under it."""
    page = person.page
    field = page.locator(f"{form} [name='{name}']").first
    error_id = error_id or f"{name}-error"
    error = page.locator(f"#{error_id}")
    assert field.get_attribute("aria-invalid") == "true", name
    assert field.get_attribute("aria-describedby") == error_id, name
    assert error.is_visible() and says in (error.text_content() or ""), error.text_content()
    assert error.bounding_box()["y"] > field.bounding_box()["y"]  # type: ignore[index]
    assert page.locator("h1").first.text_content() != "出错了"
    assert person.scroll_width() <= 375


def _submit(person, form: str) -> None:
    with person.page.expect_navigation():
        person.page.click(f"{form} button[type=submit]")


def test_register_and_login(visitor):
    person = visitor()
    person.page.goto("/register")
    person.page.fill("input[name=name]", "小周")
    person.page.fill("input[name=login]", "12345")
    person.page.fill("input[name=password]", "correct-horse-9")
    _submit(person, "form[action='/register']")
    _refused_under(person, "login", "须为中国大陆手机号")
    assert person.page.input_value("input[name=name]") == "小周"
    assert person.page.input_value("input[name=login]") == "12345"
    assert_readable(person.page)
    person.shot("form-error-register")

    user = make_user()
    person.page.goto("/login")
    person.page.fill("input[name=login]", user.email or "")
    person.page.fill("input[name=password]", "not-the-password")
    _submit(person, "form[action='/login']")
    _refused_under(person, "password", "账号或密码错误")
    assert person.page.input_value("input[name=login]") == user.email
    assert_readable(person.page)
    person.shot("form-error-login")


def test_promoter_apply_with_an_unknown_invite_code(visitor):
    person = visitor()
    person.sign_in(make_user().email or "", PASSWORD)
    person.page.goto("/promoter")
    person.page.fill("input[name=invite_code]", "NOSUCH")
    _submit(person, "form[action='/promoter/apply']")
    _refused_under(person, "invite_code", "邀请码")
    assert person.page.input_value("input[name=invite_code]") == "NOSUCH"
    assert_readable(person.page)
    person.shot("form-error-promoter-apply")


def test_supplier_product_create(visitor):
    seller = od.shop("茶园")
    staff = visitor()
    staff.sign_in(seller.staff.email or "", PASSWORD)
    staff.page.goto("/supplier/products")
    form = "form[action='/supplier/products']"
    staff.page.fill(f"{form} input[name=title]", "明前龙井")
    staff.page.fill(f"{form} input[name=spec_0]", "250g")
    staff.page.fill(f"{form} input[name=price_0]", "十二块")
    staff.page.fill(f"{form} input[name=stock_0]", "10")
    _submit(staff, form)
    _refused_under(staff, "price_0", "价格", form=form)
    assert staff.page.input_value(f"{form} input[name=title]") == "明前龙井"
    assert staff.page.input_value(f"{form} input[name=price_0]") == "十二块"
    assert_contrast(staff.page)
    staff.shot("form-error-product-create")


def test_operator_rates(visitor):
    od.shop("果园")  # a category to set a rate on
    operator = visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator/rates")
    row = operator.page.locator("tr[data-testid^=rate-]").first
    row.locator("input[name^=level1_pct]").fill("一成")
    with operator.page.expect_navigation():
        operator.page.click("button:has-text('保存分类佣金')")
    field = operator.page.locator("input[name^=level1_pct]").first
    assert field.input_value() == "一成"
    described = field.get_attribute("aria-describedby") or ""
    assert field.get_attribute("aria-invalid") == "true" and described
    error = operator.page.locator(f"#{described}")
    assert error.is_visible()
    assert error.bounding_box()["y"] > field.bounding_box()["y"]  # type: ignore[index]
    assert_contrast(operator.page)
    operator.shot("form-error-operator-rates")


def test_operator_supplier_fee_as_a_percentage(visitor):
    operator = visitor()
    operator.sign_in(make_user("operator").email or "", PASSWORD)
    operator.page.goto("/operator/suppliers")
    form = "form[action='/operator/suppliers']"
    operator.page.fill(f"{form} input[name=name]", "山泉水厂")
    operator.page.fill(f"{form} input[name=fee_pct]", "150")
    _submit(operator, form)
    _refused_under(operator, "fee_pct", "超出允许的范围", form=form)
    assert operator.page.input_value(f"{form} input[name=name]") == "山泉水厂"
    operator.page.fill(f"{form} input[name=fee_pct]", "6.5")
    _submit(operator, form)
    assert "服务费 6.5%" in (operator.page.text_content("[data-testid^=fee-]") or "")
    assert_contrast(operator.page)
    operator.shot("operator-supplier-fee-percent")
