"""The refund at 375 px in Chromium: the buyer asks with a reason and a photo, the order
reads 退款中·等待商家处理 with the seller's time left and no 确认收货, the seller sees the
reason and the photo, and once approved (or refused) the order says so. axe on each page."""

from pathlib import Path

from tests.factories import PASSWORD, make_user
from tests.pictures import picture
from tests.web import order_data as od
from tests.web.axe import assert_contrast, assert_readable


def _ask_for_a_refund(visitor, tmp_path: Path):
    buyer_user, seller = make_user(), od.shop("果园")
    order_id = od.order(seller, "shipped", buyer=buyer_user, quantity=2)
    buyer = visitor()
    buyer.sign_in(buyer_user.email or "", PASSWORD)
    buyer.page.goto(f"/orders/{order_id}")
    assert buyer.page.locator(f"form[action='/orders/{order_id}/confirm']").is_visible()
    buyer.page.click("summary:has-text('申请退款')")
    buyer.page.select_option("select[name=reason_code]", "quality")
    buyer.page.fill("textarea[name=reason]", "外箱压坏，两颗裂开")
    photo = tmp_path / "box.jpg"
    photo.write_bytes(picture((1200, 900)))
    buyer.page.set_input_files("input[name=photos]", str(photo))
    assert_readable(buyer.page)
    buyer.shot("refund-form")
    with buyer.page.expect_navigation():
        buyer.page.click("details.refund-form button[type=submit]")
    return buyer, seller, order_id


def test_a_refund_asked_waits_for_the_seller_then_reads_refunded(visitor, tmp_path):
    buyer, seller, order_id = _ask_for_a_refund(visitor, tmp_path)
    band = buyer.page.locator("[data-testid=refund-band]")
    assert band.is_visible(), buyer.page.url
    assert "退款中·等待商家处理" in (band.text_content() or "")
    assert buyer.page.text_content("[data-testid=order-status]") == "退款中"
    left = buyer.page.text_content("[data-testid=refund-time-left] time") or ""
    assert left.startswith("1天 23:5"), left  # 48 hours to decide, ticking
    assert "质量问题" in (band.text_content() or "") and "外箱压坏" in (band.text_content() or "")
    assert buyer.page.locator("[data-testid=refund-band] .refund-photos img").count() == 1
    assert buyer.page.locator(f"form[action='/orders/{order_id}/confirm']").count() == 0
    assert buyer.page.locator("details.refund-form").count() == 0
    assert buyer.scroll_width() <= 375
    assert_readable(buyer.page)
    buyer.shot("refund-waiting")

    staff = visitor()
    staff.sign_in(seller.staff.email or "", PASSWORD)
    staff.page.goto("/supplier")
    card = staff.page.locator(".card-box", has_text=f"订单 {order_id}").last
    assert "质量问题" in (card.text_content() or "") and "外箱压坏" in (card.text_content() or "")
    image = card.locator(".refund-photos img")
    assert image.count() == 1 and image.evaluate("img => img.naturalWidth") == 1200
    assert "逾期将自动同意退款" in (card.text_content() or "")
    assert_contrast(staff.page)
    staff.shot("supplier-refund-queue")
    with staff.page.expect_navigation():
        card.locator("button:has-text('同意退款')").click()

    buyer.page.goto(f"/orders/{order_id}")
    band = buyer.page.locator("[data-testid=refund-band]")
    assert "退款成功" in (band.text_content() or "") and "¥60.00" in (band.text_content() or "")
    assert_readable(buyer.page)
    buyer.shot("refund-approved")
    assert buyer.errors == [] and staff.errors == []


def test_a_refused_refund_says_why(visitor, tmp_path):
    buyer, seller, order_id = _ask_for_a_refund(visitor, tmp_path)
    staff = visitor()
    staff.sign_in(seller.staff.email or "", PASSWORD)
    staff.page.goto("/supplier")
    card = staff.page.locator(".card-box", has_text=f"订单 {order_id}").last
    card.locator("input[name=note]").fill("签收时外箱完好")
    with staff.page.expect_navigation():
        card.locator("button:has-text('拒绝')").click()
    buyer.page.goto(f"/orders/{order_id}")
    band = buyer.page.locator("[data-testid=refund-band]")
    assert "商家拒绝退款" in (band.text_content() or "")
    assert "签收时外箱完好" in buyer.page.text_content("[data-testid=refund-refusal]")
    assert buyer.page.locator(f"form[action='/orders/{order_id}/confirm']").is_visible()
    assert_readable(buyer.page)
    buyer.shot("refund-refused")


def test_a_file_that_is_not_a_picture_is_refused_under_the_photos(visitor, tmp_path):
    buyer_user, seller = make_user(), od.shop("茶园")
    order_id = od.order(seller, "shipped", buyer=buyer_user)
    buyer = visitor()
    buyer.sign_in(buyer_user.email or "", PASSWORD)
    buyer.page.goto(f"/orders/{order_id}")
    buyer.page.click("summary:has-text('申请退款')")
    buyer.page.select_option("select[name=reason_code]", "not_as_described")
    buyer.page.fill("textarea[name=reason]", "颜色不对")
    fake = tmp_path / "receipt.jpg"
    fake.write_bytes(b"%PDF-1.7 not a picture")
    buyer.page.set_input_files("input[name=photos]", str(fake))
    with buyer.page.expect_navigation():
        buyer.page.click("details.refund-form button[type=submit]")
    photos = buyer.page.locator("input[name=photos]")
    assert photos.get_attribute("aria-invalid") == "true"
    error = buyer.page.locator("#photos-error")
    assert photos.get_attribute("aria-describedby") == "photos-error" and error.is_visible()
    assert "只能上传图片" in (error.text_content() or "")
    assert error.bounding_box()["y"] > photos.bounding_box()["y"]  # type: ignore[index]
    assert buyer.page.input_value("textarea[name=reason]") == "颜色不对"
    assert buyer.page.input_value("select[name=reason_code]") == "not_as_described"
    assert buyer.page.locator("[data-testid=refund-band]").count() == 0
    assert_readable(buyer.page)
    buyer.shot("refund-form-refused")
