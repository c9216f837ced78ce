"""A 拼团 order waits for its group (issue #14, "Two flows that are wrong", 1): paid while the
group is forming, it is not in the shipping queue and may not ship (409
``group_not_formed``); when the group forms it is both. Through the API, as a supplier."""

from datetime import timedelta

from quanzi.campaigns import reactions
from quanzi.core import clock
from tests.campaigns.helpers import signed_in
from tests.factories import ADDRESS, make_product, make_supplier, pay

SHIP = {"carrier": "顺丰", "tracking_no": "SF1234567890"}


def _group_buy(client, staff: dict[str, str], sku_id: int, size: int,
               auto: bool = False) -> int:
    made = client.post("/api/v1/group-buys", headers=staff, json={
        "sku_id": sku_id, "price_fen": 1990, "group_size": size, "duration_s": 3600,
        "auto_complete": auto})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _seat(client, path: str, buyer: dict[str, str], key: str) -> dict:
    seat = client.post(path, headers={**buyer, "Idempotency-Key": key},
                       json={"address": ADDRESS})
    assert seat.status_code == 201, seat.text
    return seat.json()


def _queue(client, staff: dict[str, str]) -> list[int]:
    listed = client.get("/api/v1/orders", headers=staff,
                        params={"scope": "supplier", "to_ship": "true"})
    assert listed.status_code == 200, listed.text
    return [order["id"] for order in listed.json()["items"]]


def _seller() -> tuple[dict[str, str], int]:
    supplier_id = make_supplier()
    (sku_id,) = make_product(supplier_id, [("500g", 3990, 100)])
    _, staff = signed_in("supplier", supplier_id=supplier_id)
    return staff, sku_id


def test_a_paid_order_of_a_forming_group_is_not_shipped_until_the_group_forms(client):
    staff, sku_id = _seller()
    group_buy_id = _group_buy(client, staff, sku_id, 3)
    leader, second, third = (signed_in()[1] for _ in range(3))
    opened = _seat(client, f"/api/v1/group-buys/{group_buy_id}/groups", leader, "open")
    group_id, order_id = opened["group_id"], opened["order"]["id"]
    paid = pay(client, leader, order_id)
    assert (paid["status"], paid["hold"]) == ("paid", "group_not_formed")

    # 拼团中: not in the queue, and shipping it is refused with nothing changed
    assert order_id not in _queue(client, staff)
    refused = client.post(f"/api/v1/orders/{order_id}/ship", headers=staff, json=SHIP)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "group_not_formed"
    after = client.get(f"/api/v1/orders/{order_id}", headers=staff).json()
    assert (after["status"], after["shipped_at"], after["carrier"]) == ("paid", None, None)

    # the second and third pay: the group forms, and every order may ship
    joined = [_seat(client, f"/api/v1/groups/{group_id}/join", buyer, f"join-{n}")
              for n, buyer in enumerate((second, third))]
    pay(client, second, joined[0]["order"]["id"])
    assert order_id not in _queue(client, staff)  # 2 of 3 paid: still forming
    pay(client, third, joined[1]["order"]["id"])
    group = client.get(f"/api/v1/groups/{group_id}").json()
    assert (group["status"], group["paid_members"]) == ("succeeded", 3)
    everyone = [order_id, *(seat["order"]["id"] for seat in joined)]
    assert sorted(_queue(client, staff)) == sorted(everyone)
    shipped = client.post(f"/api/v1/orders/{order_id}/ship", headers=staff, json=SHIP)
    assert shipped.status_code == 200, shipped.text
    assert (shipped.json()["status"], shipped.json()["hold"]) == ("shipped", None)


def test_a_normal_order_is_never_held(client):
    staff, sku_id = _seller()
    buyer = signed_in()[1]
    placed = client.post("/api/v1/orders", headers={**buyer, "Idempotency-Key": "n"}, json={
        "items": [{"sku_id": sku_id, "quantity": 1}], "address": ADDRESS})
    order = pay(client, buyer, placed.json()["id"])
    assert order["hold"] is None and _queue(client, staff) == [order["id"]]


def test_a_simulated_group_that_succeeds_at_expiry_releases_its_paid_orders(client):
    staff, sku_id = _seller()
    group_buy_id = _group_buy(client, staff, sku_id, 3, auto=True)
    leader = signed_in()[1]
    opened = _seat(client, f"/api/v1/group-buys/{group_buy_id}/groups", leader, "open")
    order_id = opened["order"]["id"]
    pay(client, leader, order_id)
    assert _queue(client, staff) == []

    clock.advance(timedelta(hours=1, seconds=1))
    assert reactions.close_expired_groups() == 1
    assert _queue(client, staff) == [order_id]
    shipped = client.post(f"/api/v1/orders/{order_id}/ship", headers=staff, json=SHIP)
    assert shipped.status_code == 200, shipped.text


def test_a_failed_group_refunds_its_held_order_and_it_never_ships(client):
    staff, sku_id = _seller()
    group_buy_id = _group_buy(client, staff, sku_id, 2)
    leader = signed_in()[1]
    opened = _seat(client, f"/api/v1/group-buys/{group_buy_id}/groups", leader, "open")
    order_id = opened["order"]["id"]
    pay(client, leader, order_id)

    clock.advance(timedelta(hours=1, seconds=1))
    assert reactions.close_expired_groups() == 1
    order = client.get(f"/api/v1/orders/{order_id}", headers=staff).json()
    assert order["status"] == "refunded" and _queue(client, staff) == []
    refused = client.post(f"/api/v1/orders/{order_id}/ship", headers=staff, json=SHIP)
    assert refused.status_code == 409
