"""Refund requests with a reason code and photos, and the seller's deadline to decide."""

import io
from datetime import datetime, timedelta

from PIL import Image
from sqlalchemy import func, select

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders.models import RefundPhoto
from quanzi.orders.refunds import approve_overdue
from tests.factories import auth, make_product, make_supplier, make_user, pay, place
from tests.pictures import picture


def _shipped_order(client):
    """A paid and shipped order of 2 × ¥10.00: (buyer, staff, order)."""
    supplier_id = make_supplier(fee_bp=1000)
    (sku,) = make_product(supplier_id, [("500g", 1000, 10)])
    buyer = auth(make_user())
    staff = auth(make_user("supplier", supplier_id=supplier_id))
    order = pay(client, buyer, place(client, buyer, [(sku, 2)])["id"])
    shipped = client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                          json={"carrier": "中通", "tracking_no": "ZT778899"})
    assert shipped.status_code == 200
    return buyer, staff, order


def _picture(size=(2400, 1800)) -> bytes:
    return picture(size)


def _upload(client, headers, order_id, data, key, name="photo.jpg"):
    return client.post(f"/api/v1/orders/{order_id}/refund-photos",
                       files={"file": (name, data, "image/jpeg")},
                       headers={**headers, "Idempotency-Key": key})


def _ask(client, headers, order, key, **extra):
    body = {"lines": [{"line_id": order["lines"][0]["id"], "quantity": 1}],
            "reason": "盒子压坏了", **extra}
    return client.post(f"/api/v1/orders/{order['id']}/refunds", json=body,
                       headers={**headers, "Idempotency-Key": key})


def _photos_kept() -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(RefundPhoto)) or 0


def test_a_request_carries_its_reason_code_photos_and_deadline(client):
    buyer, staff, order = _shipped_order(client)
    photo = _upload(client, buyer, order["id"], _picture(), "p1")
    assert photo.status_code == 201
    assert (photo.json()["width"], photo.json()["height"]) == (1600, 1200)
    asked = _ask(client, buyer, order, "r1", reason_code="quality",
                 photo_ids=[photo.json()["id"]])
    assert asked.status_code == 201
    refund = asked.json()
    assert (refund["status"], refund["reason"], refund["reason_code"]) == (
        "requested", "盒子压坏了", "quality")
    assert refund["photos"] == [photo.json()]
    decide_by = refund["decide_by"].replace("Z", "+00:00")
    created = refund["created_at"].replace("Z", "+00:00")

    assert (datetime.fromisoformat(decide_by) - datetime.fromisoformat(created)
            == timedelta(hours=48))
    served = client.get(photo.json()["url"], headers=staff)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(served.content))
    assert kept.size == (1600, 1200) and not kept.getexif()
    assert client.get(photo.json()["url"], headers=buyer).status_code == 200


def test_the_reason_string_alone_still_works(client):
    buyer, _, order = _shipped_order(client)
    asked = _ask(client, buyer, order, "plain")
    assert asked.status_code == 201
    assert (asked.json()["reason_code"], asked.json()["photos"]) == (None, [])


def test_an_unknown_reason_code_is_refused(client):
    buyer, _, order = _shipped_order(client)
    assert _ask(client, buyer, order, "bad", reason_code="because").status_code == 422


def test_a_photo_over_5_mb_is_refused_and_nothing_kept(client):
    buyer, _, order = _shipped_order(client)
    big = b"\xff\xd8" + b"0" * (5 * 1024 * 1024)
    response = _upload(client, buyer, order["id"], big, "big")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "photo_too_large"
    assert _photos_kept() == 0


def test_a_file_that_is_not_a_picture_is_refused(client):
    buyer, _, order = _shipped_order(client)
    response = _upload(client, buyer, order["id"], b"%PDF-1.7 not a picture", "pdf",
                       name="invoice.jpg")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_an_image"
    assert _photos_kept() == 0


def test_four_photos_are_refused_and_no_request_opened(client):
    buyer, _, order = _shipped_order(client)
    ids = [_upload(client, buyer, order["id"], _picture((40 + n, 30)), f"k{n}").json()["id"]
           for n in range(4)]
    assert len(set(ids)) == 4
    response = _ask(client, buyer, order, "four", photo_ids=ids)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_photos"
    assert client.get(f"/api/v1/orders/{order['id']}/refunds",
                      headers=buyer).json()["items"] == []


def test_someone_elses_order_and_photos_stay_out_of_reach(client):
    buyer, _, order = _shipped_order(client)
    stranger = auth(make_user())
    upload = _upload(client, stranger, order["id"], _picture((40, 30)), "s1")
    assert upload.status_code == 404
    photo = _upload(client, buyer, order["id"], _picture((40, 30)), "b1").json()
    assert client.get(photo["url"], headers=stranger).status_code == 404
    other_supplier = auth(make_user("supplier", supplier_id=make_supplier()))
    assert client.get(photo["url"], headers=other_supplier).status_code == 404
    operator = auth(make_user("operator"))
    assert client.get(photo["url"], headers=operator).status_code == 200
    buyer2, _, order2 = _shipped_order(client)
    borrowed = _ask(client, buyer2, order2, "borrow", photo_ids=[photo["id"]])
    assert borrowed.status_code == 422
    assert borrowed.json()["error"]["code"] == "unknown_photo"


def test_an_undecided_request_is_approved_once_after_its_deadline(client):
    buyer, _, order = _shipped_order(client)
    refund = _ask(client, buyer, order, "late").json()
    escrow = _escrow()
    assert approve_overdue() == 0
    clock.advance(get_settings().refund_decision + timedelta(seconds=1))
    assert approve_overdue() == 1
    assert approve_overdue() == 0
    got = client.get(f"/api/v1/orders/{order['id']}/refunds", headers=buyer).json()["items"]
    assert [(r["id"], r["status"]) for r in got] == [(refund["id"], "refunded")]
    assert _escrow() == escrow - 1000


def test_a_request_decided_in_time_is_left_alone(client):
    buyer, staff, order = _shipped_order(client)
    refund = _ask(client, buyer, order, "in-time").json()
    rejected = client.post(f"/api/v1/refunds/{refund['id']}/reject", headers=staff,
                           json={"note": "未见破损"})
    assert rejected.status_code == 200
    clock.advance(get_settings().refund_decision * 2)
    assert approve_overdue() == 0
    got = client.get(f"/api/v1/orders/{order['id']}/refunds", headers=buyer).json()["items"]
    assert got[0]["status"] == "rejected" and got[0]["decision_note"] == "未见破损"


def _escrow() -> int:
    with read_session() as session:
        return ledger.balance(session, "escrow")


def test_the_same_picture_sent_again_while_waiting_is_the_photo_kept(client):
    buyer, _, order = _shipped_order(client)
    first = _upload(client, buyer, order["id"], _picture((60, 40)), "a").json()
    again = _upload(client, buyer, order["id"], _picture((60, 40)), "b").json()
    assert again == first and _photos_kept() == 1
