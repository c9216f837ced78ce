"""Refusals of illegal moves say what is wrong in plain English."""

from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import auth, make_product, make_supplier, make_user, pay, place


def test_confirming_an_order_not_yet_shipped_says_so(client):
    (sku,) = make_product(make_supplier())
    buyer = auth(make_user())
    order = pay(client, buyer, place(client, buyer, [(sku, 1)])["id"])
    refused = client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "invalid_transition",
        "message": "cannot confirm an order that is paid: it has not been shipped yet"}
    with read_session() as session:
        assert session.get_one(Order, order["id"]).status == "paid"
