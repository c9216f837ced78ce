"""The bare checkout routes (api/checkout_routes.py) answer as their FastAPI twins.

The twins (api/orders.py, api/payments.py) are what OpenAPI documents. Each bad request
below goes to the app, where the bare route serves it, and to an app of the twins alone;
status, body and the headers a client reads must be the same, and nothing may change.
The good requests are compared through their replays: the bare route's answer against
the twin's answer to the same Idempotency-Key (or the same completed payment).
"""

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from quanzi.api import errors, orders, payments
from quanzi.api.router import API_PREFIX
from quanzi.app import create_app
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session, transaction
from quanzi.orders.models import Order
from quanzi.payments.models import Payment
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user

JSON = {"content-type": "application/json"}


def twins() -> FastAPI:
    app = FastAPI()
    errors.install(app)
    app.include_router(orders.router, prefix=API_PREFIX)
    app.include_router(payments.router, prefix=API_PREFIX)
    return app


@pytest.fixture
def pair() -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app()) as bare, TestClient(twins()) as twin:
        yield bare, twin


def _seen(response: Any) -> tuple[int, Any, str | None, str | None]:
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return (response.status_code, body, response.headers.get("content-type"),
            response.headers.get("www-authenticate"))


def _counts() -> tuple[int, int]:
    with read_session() as session:
        return session.query(Order).count(), session.query(Payment).count()


def _bad_requests(headers: dict[str, str], sku: int, order_id: int,
                  payment_id: int) -> list[tuple[str, dict[str, str], bytes]]:
    good = json.dumps({"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}).encode()
    zero = good.replace(b'"quantity": 1', b'"quantity": 0')
    unknown = json.dumps({"items": [{"sku_id": 999999, "quantity": 1}], "address": ADDRESS})
    keyed = {**headers, **JSON, "Idempotency-Key": "k-bad"}
    orders_path, pay = "/api/v1/orders", f"/api/v1/orders/{order_id}/pay"
    complete = f"/api/v1/payments/sandbox/{payment_id}/complete"
    return [
        (orders_path, {**JSON, "Idempotency-Key": "k"}, good),                  # no token
        (orders_path, {**keyed, "Authorization": "Bearer unknown"}, good),
        (orders_path, {**keyed, "Authorization": "Basic abc"}, good),
        (orders_path, {**headers, **JSON}, good),                                # no key
        (orders_path, {**headers, **JSON}, zero),                                # no key, bad body
        (orders_path, {**keyed, "Idempotency-Key": "  "}, good),
        (orders_path, {**keyed, "Idempotency-Key": "x" * 129}, zero),
        (orders_path, keyed, b""),
        (orders_path, keyed, b"{bad"),
        (orders_path, {**JSON, "Idempotency-Key": "k"}, b"{bad"),               # before the token
        (orders_path, keyed, b"[1]"),
        (orders_path, keyed, b'{"address": {}}'),
        (orders_path, keyed, zero),
        (orders_path, {**JSON, "Idempotency-Key": "k"}, zero),                  # token first
        (orders_path, {**keyed, "content-type": "text/plain"}, good),
        (orders_path, {k: v for k, v in keyed.items() if k != "content-type"}, good),
        (orders_path, {**keyed, "content-type": "application/vnd.x+json"}, zero),
        (orders_path, keyed, b'{"items": "\xff"}'),                             # not UTF-8
        (orders_path, keyed, unknown.encode()),
        (orders_path, keyed, good[:-1] + b', "zzz": 1}'),
        (pay, {**JSON, "Idempotency-Key": "k"}, b"{}"),
        (pay, {**headers, **JSON}, b"{}"),
        (pay, keyed, b""),
        (pay, keyed, b"["),
        (pay, keyed, b'{"provider": "nope"}'),
        ("/api/v1/orders/0/pay", keyed, b'{"provider": "nope"}'),               # path and body
        ("/api/v1/orders/abc/pay", keyed, b"{}"),
        ("/api/v1/orders/99999999999999999999/pay", keyed, b"{}"),
        ("/api/v1/orders/0/pay", {**JSON, "Idempotency-Key": "k"}, b"{}"),
        ("/api/v1/orders/999999/pay", keyed, b"{}"),
        (complete, {}, b""),
        (complete.replace(str(payment_id), "0"), headers, b""),
        (complete.replace(str(payment_id), "x"), headers, b""),
        ("/api/v1/payments/sandbox/999999/complete", headers, b""),
    ]


def test_bad_requests_are_answered_as_the_twins_answer(pair: tuple[TestClient, TestClient]) -> None:
    bare, twin = pair
    buyer, other = make_user(), make_user()
    sku = make_product(make_supplier())[0]
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}
    order = bare.post("/api/v1/orders", json=body, headers={**auth(buyer), "Idempotency-Key": "o"})
    intent = bare.post(f"/api/v1/orders/{order.json()['id']}/pay", json={},
                       headers={**auth(buyer), "Idempotency-Key": "p"})
    requests = _bad_requests(auth(buyer), sku, order.json()["id"], intent.json()["payment_id"])
    requests += [(f"/api/v1/orders/{order.json()['id']}/pay",
                  {**auth(other), **JSON, "Idempotency-Key": "k"}, b"{}"),
                 (f"/api/v1/payments/sandbox/{intent.json()['payment_id']}/complete",
                  auth(other), b"")]
    before = _counts()
    statuses = set()
    for path, headers, content in requests:
        answers = [_seen(client.post(path, headers=headers, content=content))
                   for client in (bare, twin)]
        assert answers[0] == answers[1], (path, headers, content)
        statuses.add(answers[0][0])
    assert _counts() == before
    assert statuses == {400, 401, 404, 422}


def test_answers_match_the_twins_replays(pair: tuple[TestClient, TestClient]) -> None:
    bare, twin = pair
    buyer = make_user()
    sku = make_product(make_supplier())[0]
    body = {"items": [{"sku_id": sku, "quantity": 2}], "address": ADDRESS}
    placing = {**auth(buyer), "Idempotency-Key": "o1"}
    placed = bare.post("/api/v1/orders", json=body, headers=placing)
    assert placed.status_code == 201 and placed.json()["status"] == "pending_payment"
    assert _seen(twin.post("/api/v1/orders", json=body, headers=placing)) == _seen(placed)

    paying = {**auth(buyer), "Idempotency-Key": "p1"}
    path = f"/api/v1/orders/{placed.json()['id']}/pay"
    intent = bare.post(path, json={"provider": "sandbox"}, headers=paying)
    assert intent.status_code == 200 and intent.json()["amount_fen"] == placed.json()["total_fen"]
    assert _seen(twin.post(path, json={"provider": "sandbox"}, headers=paying)) == _seen(intent)

    complete = f"/api/v1/payments/sandbox/{intent.json()['payment_id']}/complete"
    paid = bare.post(complete, headers=auth(buyer))
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert _seen(twin.post(complete, headers=auth(buyer))) == _seen(paid)
    assert _seen(bare.post(complete, headers=auth(buyer))) == _seen(paid)
    assert _counts() == (1, 1)


def test_other_methods_still_reach_fastapi(client: TestClient) -> None:
    buyer = make_user()
    assert client.get("/api/v1/orders", headers=auth(buyer)).json() == {
        "items": [], "next_cursor": None}
    refused = client.put("/api/v1/orders", headers=auth(buyer))
    assert refused.status_code == 405
    assert refused.json()["error"]["code"] == "method_not_allowed"


def test_concurrent_sales_sell_the_stock_once(pair: tuple[TestClient, TestClient]) -> None:
    """40 buyers at once for 25 units, then the 25 orders paid at once while another
    writer holds the database for a moment (on SQLite the requests that find it busy go
    to threads, the others run on the event loop): 25 sold, 15 refused, every order paid
    once."""
    bare = pair[0]
    signed_in = [auth(make_user()) for _ in range(40)]
    sku = make_product(make_supplier(), skus=[("1kg", 990, 25)])[0]
    body = {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}

    async def place(client: httpx.AsyncClient, n: int) -> httpx.Response:
        return await client.post("/api/v1/orders", json=body,
                                 headers={**signed_in[n], "Idempotency-Key": f"c{n}"})

    async def buy(client: httpx.AsyncClient, n: int, order_id: int) -> httpx.Response:
        headers = signed_in[n]
        intent = await client.post(f"/api/v1/orders/{order_id}/pay", json={},
                                   headers={**headers, "Idempotency-Key": f"p{n}"})
        return await client.post(
            f"/api/v1/payments/sandbox/{intent.json()['payment_id']}/complete", headers=headers)

    async def burst() -> tuple[list[httpx.Response], list[httpx.Response]]:
        transport = httpx.ASGITransport(app=bare.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            placed = await asyncio.gather(*(place(client, n) for n in range(40)))
            sold = [(n, r.json()["id"]) for n, r in enumerate(placed) if r.status_code == 201]
            holding = threading.Event()
            holder = threading.Thread(target=_hold_the_database, args=(holding, 0.3))
            holder.start()
            assert holding.wait(5)
            paid = await asyncio.gather(*(buy(client, n, order) for n, order in sold))
            holder.join()
        return placed, paid

    placed, paid = asyncio.run(burst())
    assert sorted(r.status_code for r in placed) == [201] * 25 + [409] * 15
    assert {r.json()["error"]["code"] for r in placed if r.status_code == 409} == {"out_of_stock"}
    assert [r.json()["status"] for r in paid] == ["paid"] * 25
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 0
        assert session.query(Payment).filter_by(status="succeeded").count() == 25


def _hold_the_database(holding: threading.Event, seconds: float) -> None:
    with transaction() as session:
        session.execute(text("SELECT 1"))
        holding.set()
        time.sleep(seconds)
