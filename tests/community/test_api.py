"""The HTTP contract of community buying (API.md): shapes, status codes, error codes,
who may do what."""

from datetime import timedelta

from quanzi.core import clock
from tests.campaigns.helpers import signed_in
from tests.community.helpers import supplier_skus

API = "/api/v1"
POINT = {"name": "阳光家园3幢自提点", "province": "浙江省", "city": "杭州市", "district": "西湖区",
         "community": "阳光家园", "address": "文三路 100 号 3 幢架空层", "lat": 30.262,
         "lng": 120.13, "opening_hours": "08:00-20:00"}


def _error(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def _leader(client, ops: dict[str, str], point: dict | None = None):  # type: ignore[no-untyped-def]
    user_id, headers = signed_in()
    applied = client.post(f"{API}/leaders/apply", json={"point": point or POINT}, headers=headers)
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    approved = client.post(f"{API}/leaders/{applied.json()['id']}/approve", headers=ops)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["id"] == applied.json()["id"]
    return user_id, headers, body["pickup_point_id"]


def _batch(client, ops: dict[str, str], sku: int, **extra) -> dict:  # type: ignore[no-untyped-def]
    now = clock.now()
    body = {"title": "周三蔬菜团", "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "cuts_off_at": (now + timedelta(hours=2)).isoformat(),
            "pickup_from": (now + timedelta(hours=14)).isoformat(), "leader_rate_bps": 1000,
            "items": [{"sku_id": sku, "price_fen": 990, "stock": 50}], **extra}
    created = client.post(f"{API}/batches", json=body, headers=ops)
    assert created.status_code == 201, created.text
    return created.json()  # type: ignore[no-any-return]


def test_leaders_apply_are_approved_or_rejected_and_gain_the_role(client):
    _, ops = signed_in("operator")
    _, headers, point_id = _leader(client, ops)
    assert "leader" in client.get(f"{API}/me", headers=headers).json()["roles"]
    _, other = signed_in()
    applied = client.post(f"{API}/leaders/apply", json={"point": POINT}, headers=other).json()
    _error(client.post(f"{API}/leaders/{applied['id']}/approve", headers=other), 403,
           "forbidden")
    rejected = client.post(f"{API}/leaders/{applied['id']}/reject",
                           json={"reason": "地址不详"}, headers=ops)
    assert rejected.json() == {"id": applied["id"], "status": "rejected",
                               "pickup_point_id": rejected.json()["pickup_point_id"],
                               "reason": "地址不详"}
    _error(client.post(f"{API}/leaders/{applied['id']}/approve", headers=ops), 409,
           "invalid_transition")
    _error(client.post(f"{API}/leaders/apply", json={"point": {**POINT, "lng": None}},
                       headers=other), 422, "invalid")
    paused = client.post(f"{API}/leader/points/{point_id}/pause", headers=headers)
    assert paused.json()["status"] == "paused"
    assert client.get(f"{API}/pickup-points", params={"q": "ygjy"}).json() == {"items": []}


def test_points_are_found_with_and_without_a_location_and_the_choice_is_kept(client):
    _, ops = signed_in("operator")
    _, _, point_id = _leader(client, ops)
    near = client.get(f"{API}/pickup-points", params={"lat": 30.259, "lng": 120.13}).json()
    assert [(p["id"], p["distance_m"]) for p in near["items"]] == [(point_id, 334)]
    assert set(near["items"][0]) == {"id", "name", "province", "city", "district",
                                     "community", "address", "opening_hours", "leader_name",
                                     "status", "distance_m"}
    plain = client.get(f"{API}/pickup-points", params={"district": "西湖区", "q": "ygjy"}).json()
    assert [p["id"] for p in plain["items"]] == [point_id]
    assert "distance_m" not in plain["items"][0]
    _, buyer = signed_in()
    chosen = client.put(f"{API}/me/pickup-point", json={"pickup_point_id": point_id},
                        headers=buyer)
    assert chosen.json() == {"pickup_point_id": point_id}
    assert client.get(f"{API}/me/pickup-point", headers=buyer).json()["point"]["id"] == point_id
    _error(client.put(f"{API}/me/pickup-point", json={"pickup_point_id": 999},
                      headers=buyer), 404, "not_found")


def test_a_batch_order_is_an_order_with_a_pickup_point_and_a_code_once_paid(client):
    _, ops = signed_in("operator")
    _, leader, point_id = _leader(client, ops)
    supplier_id, (sku,) = supplier_skus(1500)
    _, supplier = signed_in("supplier", supplier_id)
    batch = _batch(client, supplier, sku)
    assert batch["status"] == "open"
    assert [(i["sku_id"], i["price_fen"], i["stock_left"]) for i in batch["items"]] == [
        (sku, 990, 50)]
    assert client.get(f"{API}/batches", params={"status": "open"}).json()["items"][0][
        "id"] == batch["id"]
    _, buyer = signed_in()
    client.put(f"{API}/me/pickup-point", json={"pickup_point_id": point_id}, headers=buyer)
    placed = client.post(f"{API}/batches/{batch['id']}/orders",
                         json={"items": [{"sku_id": sku, "quantity": 2}]},
                         headers={**buyer, "Idempotency-Key": "o1"})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "pending_payment" and order["total_fen"] == 1980
    assert order["pickup_point_id"] == point_id and order["pickup_code"] is None
    replay = client.post(f"{API}/batches/{batch['id']}/orders",
                         json={"items": [{"sku_id": sku, "quantity": 2}]},
                         headers={**buyer, "Idempotency-Key": "o1"})
    assert replay.json()["id"] == order["id"]
    _error(client.get(f"{API}/orders/{order['id']}/pickup-qr.png", headers=buyer), 404,
           "not_found")
    intent = client.post(f"{API}/orders/{order['id']}/pay", json={"provider": "sandbox"},
                         headers={**buyer, "Idempotency-Key": "p1"}).json()
    client.post(f"{API}/payments/sandbox/{intent['payment_id']}/complete", headers=buyer)
    paid = client.get(f"{API}/orders/{order['id']}", headers=buyer).json()
    assert paid["status"] == "paid" and paid["pickup_point_id"] == point_id
    code = paid["pickup_code"]
    assert len(code) == 12 and code.isdigit()
    seen_by_supplier = client.get(f"{API}/orders/{order['id']}", headers=supplier).json()
    assert seen_by_supplier["pickup_code"] is None
    qr = client.get(f"{API}/orders/{order['id']}/pickup-qr.png", headers=buyer)
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
    queue = client.get(f"{API}/orders", params={"scope": "supplier", "to_ship": True},
                       headers=supplier).json()
    assert queue["items"] == []
    _error(client.post(f"{API}/orders/{order['id']}/ship",
                       json={"carrier": "顺丰", "tracking_no": "SF123456"}, headers=supplier),
           409, "pickup_order")
    _error(client.get(f"{API}/batches/{batch['id']}/pick-list", headers=supplier), 409,
           "invalid_transition")
    _error(client.post(f"{API}/batches/{batch['id']}/dispatch", headers=supplier), 409,
           "invalid_transition")

    clock.advance(timedelta(hours=2, seconds=1))
    late = client.post(f"{API}/batches/{batch['id']}/orders",
                       json={"items": [{"sku_id": sku, "quantity": 1}]},
                       headers={**buyer, "Idempotency-Key": "o2"})
    _error(late, 409, "cut_off")
    from quanzi.community import cutoff
    cutoff.cut_off_due()
    pick = client.get(f"{API}/batches/{batch['id']}/pick-list", headers=supplier).json()
    assert pick["items"][0]["sku_id"] == sku and pick["items"][0]["quantity"] == 2
    assert [p["pickup_point_id"] for p in pick["points"]] == [point_id]
    notes = client.get(f"{API}/batches/{batch['id']}/dispatch-notes", headers=supplier).json()
    assert list(notes) == ["items"]
    assert [n["pickup_point_id"] for n in notes["items"]] == [point_id]
    _error(client.post(f"{API}/leader/pickups", json={"code": code}, headers=leader), 409,
           "not_arrived")
    _error(client.post(f"{API}/leader/batches/{batch['id']}/arrive", headers=leader), 409,
           "invalid_transition")
    dispatched = client.post(f"{API}/batches/{batch['id']}/dispatch", headers=supplier)
    assert dispatched.json()["status"] == "dispatched"
    arrived = client.post(f"{API}/leader/batches/{batch['id']}/arrive", headers=leader).json()
    assert arrived["batch_id"] == batch["id"] and arrived["pickup_point_id"] == point_id
    listed = client.get(f"{API}/leader/batches/{batch['id']}/orders", headers=leader).json()
    assert listed["items"][0]["order_id"] == order["id"]
    assert listed["items"][0]["phone_tail"] == "" and not listed["items"][0]["picked_up"]
    _error(client.post(f"{API}/leader/pickups", json={"code": "1"}, headers=leader), 404,
           "unknown_code")
    done = client.post(f"{API}/leader/pickups", json={"code": code}, headers=leader)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    _error(client.post(f"{API}/leader/pickups", json={"code": code}, headers=leader), 409,
           "already_picked_up")
    rows = client.get(f"{API}/me/commissions", headers=leader).json()["items"]
    assert [(r["kind"], r["amount_fen"], r["status"]) for r in rows] == [
        ("leader", 198, "pending")]


def test_batches_are_made_by_operators_and_their_supplier_only(client):
    _, (sku,) = supplier_skus(1500)
    _, stranger = signed_in("supplier", supplier_skus(100)[0])
    _, buyer = signed_in()
    now = clock.now()
    body = {"title": "团", "opens_at": now.isoformat(),
            "cuts_off_at": (now + timedelta(hours=1)).isoformat(),
            "pickup_from": now.isoformat(), "leader_rate_bps": 100,
            "items": [{"sku_id": sku, "price_fen": 100, "stock": 5}]}
    _error(client.post(f"{API}/batches", json=body, headers=buyer), 403, "forbidden")
    _error(client.post(f"{API}/batches", json={**body, "pickup_from": (
        now + timedelta(hours=2)).isoformat()}, headers=stranger), 403, "forbidden")
    _error(client.post(f"{API}/batches", json=body, headers=signed_in("operator")[1]), 422,
           "bad_times")
    _error(client.get(f"{API}/batches/999"), 404, "not_found")
