"""The buyer's refund form on the order page: a reason from the list, the buyer's words,
photos; a refusal shows the page again with the reason under its field, what was typed
kept, and nothing asked; a request waiting for the seller reads 退款中·等待商家处理."""

from quanzi.core.db import read_session
from quanzi.orders.models import Refund, RefundPhoto
from tests.factories import make_user
from tests.pictures import picture
from tests.web import order_data as od
from tests.web.helpers import csrf_of, sign_in


def _shipped(client, quantity=2):
    buyer = make_user()
    seller = od.shop("果园")
    order_id = od.order(seller, "shipped", buyer=buyer, quantity=quantity)
    sign_in(client, buyer.email or "")
    return order_id, od._line_of(order_id, buyer)


def _post(client, order_id, fields, photos=()):
    token = csrf_of(client.get(f"/orders/{order_id}").text)
    files = [("photos", (f"p{n}.jpg", data, "image/jpeg")) for n, data in enumerate(photos)]
    return client.post(f"/orders/{order_id}/refunds", data={**fields, "csrf_token": token},
                       files=files or None, follow_redirects=False)


def _counts() -> tuple[int, int]:
    with read_session() as session:
        return session.query(Refund).count(), session.query(RefundPhoto).count()


def test_a_request_with_a_reason_and_photos_waits_for_the_seller(client):
    order_id, line = _shipped(client)
    asked = _post(client, order_id, {f"qty_{line}": "1", "reason_code": "quality",
                                     "reason": "外箱压坏", "key": "k1"},
                  photos=[picture((2000, 1000)), picture()])
    assert asked.status_code == 303
    page = client.get(f"/orders/{order_id}").text
    assert 'data-testid="refund-band"' in page and "退款中·等待商家处理" in page
    assert 'data-testid="refund-time-left"' in page and "1天 23:59:" in page
    assert f'action="/orders/{order_id}/confirm"' not in page
    assert f'action="/orders/{order_id}/refunds"' not in page
    assert "质量问题" in page and "外箱压坏" in page
    assert page.count('src="/refund-photos/') == 4  # in the band and in the list
    listed = client.get("/orders").text
    assert f'data-testid="order-status-{order_id}">退款中<' in listed
    photo = page.split('src="/refund-photos/')[1].split('"')[0]
    served = client.get(f"/refund-photos/{photo}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"


def test_no_reason_chosen_is_said_under_the_list_and_what_was_typed_stays(client):
    order_id, line = _shipped(client)
    refused = _post(client, order_id, {f"qty_{line}": "1", "reason": "外箱压坏", "key": "k2"})
    assert refused.status_code == 422
    page = refused.text
    assert 'id="reason_code-error"' in page and "请选择退款原因" in page
    select = page.split('name="reason_code"')[1].split(">")[0]
    assert 'aria-invalid="true"' in select and 'aria-describedby="reason_code-error"' in select
    assert ">外箱压坏</textarea>" in page
    assert '<details class="refund-form" id="refund" open' in page
    assert _counts() == (0, 0)


def test_a_file_that_is_not_a_picture_is_said_under_the_photos(client):
    order_id, line = _shipped(client)
    refused = _post(client, order_id, {f"qty_{line}": "1", "reason_code": "quality"},
                    photos=[b"%PDF-1.7 an invoice"])
    assert refused.status_code == 422
    assert 'id="photos-error"' in refused.text and "只能上传图片" in refused.text
    assert '<option value="quality" selected>' in refused.text
    assert _counts() == (0, 0)


def test_four_photos_are_refused_before_anything_is_kept(client):
    order_id, line = _shipped(client)
    refused = _post(client, order_id, {f"qty_{line}": "1", "reason_code": "quality"},
                    photos=[picture()] * 4)
    assert refused.status_code == 422
    assert "最多上传 3 张照片" in refused.text.split('id="photos-error"')[1][:100]
    assert _counts() == (0, 0)


def test_too_many_units_is_said_under_the_quantities(client):
    order_id, line = _shipped(client)
    refused = _post(client, order_id, {f"qty_{line}": "5", "reason_code": "unwanted"},
                    photos=[picture()])
    assert refused.status_code == 422
    assert 'id="lines-error"' in refused.text and "最多还能退 2 件" in refused.text
    assert "照片需要重新选择" in refused.text.split('id="photos-error"')[1][:200]
    assert _counts() == (0, 1)  # the photo waits for the request
    again = _post(client, order_id, {f"qty_{line}": "2", "reason_code": "unwanted"},
                  photos=[picture()])
    assert again.status_code == 303
    assert _counts() == (1, 1)  # the same picture sent again is the one kept


def test_someone_elses_photo_is_not_served(client):
    order_id, line = _shipped(client)
    _post(client, order_id, {f"qty_{line}": "1", "reason_code": "quality"}, photos=[picture()])
    with read_session() as session:
        photo_id = session.query(RefundPhoto.id).scalar()
    client.cookies.clear()
    sign_in(client, make_user().email or "")
    assert client.get(f"/refund-photos/{photo_id}").status_code == 404
