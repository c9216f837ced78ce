"""Idempotency-Key on POST /orders: replays (also of work that would be refused now), reuse
with another body, concurrent duplicates, and no lookup before the work of a new key."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.core.idempotency import run_once
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, OrderOut
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user
from tests.orders.test_sql_budget import counting


def _count_orders() -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(Order)) or 0


def _stock(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).stock


def test_replay_returns_the_same_order_and_reserves_once(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    headers = {**auth(make_user()), "Idempotency-Key": "order-1"}
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    first = client.post("/api/v1/orders", json=body, headers=headers)
    second = client.post("/api/v1/orders", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert _count_orders() == 1
    assert _stock(sku) == 8


def test_same_key_with_another_body_is_422_and_changes_nothing(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    headers = {**auth(make_user()), "Idempotency-Key": "order-1"}
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    body["items"][0]["quantity"] = 3
    response = client.post("/api/v1/orders", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert _count_orders() == 1 and _stock(sku) == 8


def test_keys_are_per_user(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}
    for _ in range(2):
        headers = {**auth(make_user()), "Idempotency-Key": "same"}
        assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    assert _count_orders() == 2


def test_missing_key_is_422(client):
    (sku,) = make_product(make_supplier())
    response = client.post("/api/v1/orders", headers=auth(make_user()),
                           json={"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_missing"
    assert _count_orders() == 0


def test_concurrent_duplicates_make_one_order():
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 100)])
    buyer = make_user()
    data = OrderCreate.model_validate({"items": [{"sku_id": sku, "quantity": 1}],
                                       "address": ADDRESS})

    def attempt(_: int) -> int:
        return place_order(buyer_id=buyer.id, data=data, idempotency_key="dup").id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(attempt, range(16)))
    assert len(ids) == 1
    assert _count_orders() == 1
    assert _stock(sku) == 99


def test_a_replay_gets_its_order_though_the_goods_sold_out_since(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 2)])
    headers = {**auth(make_user()), "Idempotency-Key": "last-two"}
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    first = client.post("/api/v1/orders", json=body, headers=headers)
    again = client.post("/api/v1/orders", json=body, headers=headers)  # its work: out of stock
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = client.post("/api/v1/orders", json=body,
                        headers={**headers, "Idempotency-Key": "new"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "out_of_stock"
    assert _count_orders() == 1 and _stock(sku) == 0


def test_a_reused_key_whose_new_body_is_refused_is_still_422_reused(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    headers = {**auth(make_user()), "Idempotency-Key": "order-1"}
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    body["items"][0]["sku_id"] = sku + 1000  # unknown: the work itself refuses it
    response = client.post("/api/v1/orders", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert _count_orders() == 1 and _stock(sku) == 8


def test_a_refused_request_stores_nothing_and_may_be_sent_again(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 1)])
    headers = {**auth(make_user()), "Idempotency-Key": "retry"}
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    refused = client.post("/api/v1/orders", json=body, headers=headers)
    assert refused.status_code == 409
    body["items"][0]["quantity"] = 1
    assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    assert _count_orders() == 1 and _stock(sku) == 0


def test_a_new_key_is_not_looked_up_before_the_work(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    headers = {**auth(make_user()), "Idempotency-Key": "fresh"}
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}
    with counting() as statements:
        assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    keys = [s for s in statements if "idempotency_keys" in s]
    assert len(keys) == 1 and keys[0].startswith("INSERT"), keys
    with counting() as statements:  # a replay: the work rolls back, the stored answer comes
        assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 201
    assert any(s.startswith("SELECT") and "idempotency_keys" in s for s in statements)
    assert _count_orders() == 1 and _stock(sku) == 9


def test_a_key_the_caller_has_seen_is_looked_up_before_the_work(client):
    """``seen=True`` (the flash counter saw the key before): a retry's first answer comes
    without running the work again; ``seen=None`` runs it and rolls it back."""
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    buyer = make_user()
    data = OrderCreate.model_validate({"items": [{"sku_id": sku, "quantity": 1}],
                                       "address": ADDRESS})
    first = place_order(buyer_id=buyer.id, data=data, idempotency_key="seen")
    ran: list[str] = []

    def work(session):  # type: ignore[no-untyped-def]
        ran.append("work")
        return first

    for seen in (True, None):
        again = run_once(f"order:{buyer.id}", "seen", data.model_dump(mode="json"), work,
                         answer=OrderOut, seen=seen)
        assert again == first
    assert ran == ["work"]  # by seen=None only
    assert _count_orders() == 1 and _stock(sku) == 9
