"""The flash-sale buy over HTTP (the plain Starlette hot path)."""

from quanzi.campaigns.flash import stock as flash_stock
from tests.campaigns.helpers import signed_in
from tests.campaigns.test_buying import _flash
from tests.factories import ADDRESS, snapshot

BODY = {"quantity": 1, "address": ADDRESS}


def test_buy_answers_like_the_rest_of_the_api(client):
    sale_id, _ = _flash(1)
    _, buyer = signed_in()
    _, other = signed_in()
    url = f"/api/v1/flash-sales/{sale_id}/buy"
    before = snapshot()
    assert client.post(url, json=BODY).status_code == 401
    missing_key = client.post(url, json=BODY, headers=buyer)
    assert (missing_key.status_code, missing_key.json()["error"]["code"]) == (
        422, "idempotency_key_missing")
    bad = client.post(url, json={"quantity": -1, "address": ADDRESS},
                      headers={**buyer, "Idempotency-Key": "x"})
    assert bad.status_code == 422 and "quantity" in bad.json()["error"]["message"]
    assert snapshot() == before and flash_stock.stock_left(sale_id) == 1
    bought = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "k1"})
    assert bought.status_code == 201 and bought.json()["total_fen"] == 990
    replay = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "k1"})
    assert replay.status_code == 201 and replay.json()["id"] == bought.json()["id"]
    before = snapshot()
    sold_out = client.post(url, json=BODY, headers={**other, "Idempotency-Key": "k2"})
    assert (sold_out.status_code, sold_out.json()["error"]["code"]) == (409, "sold_out")
    unknown = client.post("/api/v1/flash-sales/999999/buy", json=BODY,
                          headers={**buyer, "Idempotency-Key": "k3"})
    assert unknown.status_code == 404
    assert client.post("/api/v1/flash-sales/abc/buy", json=BODY,
                       headers={**buyer, "Idempotency-Key": "k4"}).status_code == 422
    assert snapshot() == before and flash_stock.stock_left(sale_id) == 0


def test_refusals_over_http_match_the_api_errors_and_change_nothing(client):
    """Before the start, after the limit and once sold out: the prepared 409 bodies are
    exactly what the rest of the API answers, on Redis and on the database."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from quanzi.api.errors import error_response
    from quanzi.campaigns.common import refuse
    from quanzi.core import clock
    from quanzi.core.db import read_session
    from quanzi.orders.models import Order

    later, _ = _flash(2, starts_in=timedelta(minutes=10))
    _, buyer = signed_in()
    url = f"/api/v1/flash-sales/{later}/buy"
    early = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "e1"})
    assert early.status_code == 409
    assert early.content == error_response(409, "not_started", refuse("not_started").message).body
    clock.advance(timedelta(minutes=11))
    first = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "e2"})
    again = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "e3"})
    assert first.status_code == 201
    assert (again.status_code, again.json()["error"]["code"]) == (409, "limit_reached")
    with read_session() as session:
        orders = session.scalar(select(func.count()).select_from(Order)
                                .where(Order.campaign_ref == f"flash:{later}"))
    assert orders == 1
    no_body = client.post(url, headers={**buyer, "Idempotency-Key": "e4"})
    assert no_body.status_code == 422


def test_the_server_closes_its_redis_counter_on_the_way_out(app):
    """A counter client left to the garbage collector would find its event loop closed."""
    from fastapi.testclient import TestClient

    from quanzi.campaigns.flash import batch
    from tests import backends

    backends.require_redis()
    sale_id, _ = _flash(1)
    _, buyer = signed_in()
    before = set(batch._counters)
    with TestClient(app) as client:
        bought = client.post(f"/api/v1/flash-sales/{sale_id}/buy", json=BODY,
                             headers={**buyer, "Idempotency-Key": "k1"})
        assert bought.status_code == 201
        made = set(batch._counters) - before
        assert len(made) == 1  # the server's event loop made one
    assert made.isdisjoint(batch._counters)
