"""The flash-sale buy over HTTP (the plain Starlette hot path)."""

from tests.campaigns.helpers import signed_in
from tests.campaigns.test_buying import _flash
from tests.factories import ADDRESS

BODY = {"quantity": 1, "address": ADDRESS}


def test_buy_answers_like_the_rest_of_the_api(client):
    sale_id, _ = _flash(1)
    _, buyer = signed_in()
    _, other = signed_in()
    url = f"/api/v1/flash-sales/{sale_id}/buy"
    assert client.post(url, json=BODY).status_code == 401
    missing_key = client.post(url, json=BODY, headers=buyer)
    assert (missing_key.status_code, missing_key.json()["error"]["code"]) == (
        422, "idempotency_key_missing")
    bad = client.post(url, json={"quantity": -1, "address": ADDRESS},
                      headers={**buyer, "Idempotency-Key": "x"})
    assert bad.status_code == 422 and "quantity" in bad.json()["error"]["message"]
    bought = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "k1"})
    assert bought.status_code == 201 and bought.json()["total_fen"] == 990
    replay = client.post(url, json=BODY, headers={**buyer, "Idempotency-Key": "k1"})
    assert replay.status_code == 201 and replay.json()["id"] == bought.json()["id"]
    sold_out = client.post(url, json=BODY, headers={**other, "Idempotency-Key": "k2"})
    assert (sold_out.status_code, sold_out.json()["error"]["code"]) == (409, "sold_out")
    unknown = client.post("/api/v1/flash-sales/999999/buy", json=BODY,
                          headers={**buyer, "Idempotency-Key": "k3"})
    assert unknown.status_code == 404
    assert client.post("/api/v1/flash-sales/abc/buy", json=BODY,
                       headers={**buyer, "Idempotency-Key": "k4"}).status_code == 422
