"""The whole life of an order through the API, with the ledger checked at each step."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.idempotency import IdempotencyKey
from quanzi.ledger import services as ledger
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.settlement import settle_due
from tests.factories import (
    ADDRESS,
    auth,
    make_product,
    make_supplier,
    make_user,
    pay,
    place,
    snapshot,
)


def _balances() -> dict[str, int]:
    with read_session() as session:
        return dict(ledger.balances(session))


def test_order_pay_ship_confirm_settle_payout(client):
    supplier_id = make_supplier("鲜果园", fee_bp=500)
    sku_a, sku_b = make_product(supplier_id, [("500g", 1290, 10), ("1kg", 2390, 5)])
    buyer = auth(make_user())
    staff_user = make_user("supplier", supplier_id=supplier_id)
    operator_user = make_user("operator")
    staff = auth(staff_user)

    order = place(client, buyer, [(sku_a, 2), (sku_b, 1)])
    assert order["status"] == "pending_payment"
    assert order["total_fen"] == 2 * 1290 + 2390 == 4970
    assert [line["price_fen"] for line in order["lines"]] == [1290, 2390]

    paid = pay(client, buyer, order["id"])
    assert paid["status"] == "paid"
    assert _balances() == {"escrow": 4970, "external": -4970}

    shipped = client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                          json={"carrier": "顺丰", "tracking_no": "SF1234567890"})
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    confirmed = client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    assert confirmed.json()["status"] == "completed"

    assert settle_due() == 0  # the return window is still open
    clock.advance(timedelta(days=7, seconds=1))
    assert settle_due() == 1
    assert settle_due() == 0  # never twice
    fee = 4970 * 500 // 10000
    assert _balances() == {"escrow": 0, "external": -4970, "platform_revenue": fee,
                           f"supplier:{supplier_id}": 4970 - fee}

    operator, staff = auth(operator_user), auth(staff_user)  # tokens older than 7 days expired
    response = client.get("/api/v1/ledger/trial-balance", headers=operator)
    assert response.status_code == 200, response.text
    trial = response.json()
    assert trial["total_debits_fen"] == trial["total_credits_fen"] == 4970 + 4970

    payout = client.post(f"/api/v1/suppliers/{supplier_id}/payouts", headers=staff,
                         json={"amount_fen": 4000})
    assert payout.status_code == 201
    too_much = client.post(f"/api/v1/suppliers/{supplier_id}/payouts", headers=staff,
                           json={"amount_fen": 4970 - fee - 4000 + 1})
    assert too_much.status_code == 409
    payout_id = payout.json()["id"]
    assert client.post(f"/api/v1/payouts/{payout_id}/approve", headers=operator,
                       json={}).json()["status"] == "approved"
    paid = client.post(f"/api/v1/payouts/{payout_id}/paid", headers=operator)
    assert paid.json()["status"] == "paid"
    assert _balances()[f"supplier:{supplier_id}"] == 4970 - fee - 4000
    assert _balances()["payout_clearing"] == 0


def test_illegal_transition_is_409_with_current_state(client):
    supplier_id = make_supplier()
    (sku,) = make_product(supplier_id)
    buyer = auth(make_user())
    order = place(client, buyer, [(sku, 1)])
    before = snapshot()
    response = client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    assert response.status_code == 409
    assert "pending_payment" in response.json()["error"]["message"]
    assert snapshot() == before
    assert before["statuses"]["orders"] == {order["id"]: "pending_payment"}


def test_unpaid_order_is_cancelled_after_timeout_and_stock_released(client):
    supplier_id = make_supplier()
    (sku,) = make_product(supplier_id, [("1袋", 500, 3)])
    buyer = auth(make_user())
    order = place(client, buyer, [(sku, 3)])
    from quanzi.orders.lifecycle import expire_unpaid

    assert expire_unpaid() == 0
    clock.advance(timedelta(minutes=15, seconds=1))
    assert expire_unpaid() == 1
    got = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
    assert got["status"] == "cancelled"
    again = place(client, buyer, [(sku, 3)])  # the 3 units are back
    assert again["status"] == "pending_payment"


def test_an_order_whose_last_line_is_short_of_stock_writes_nothing(client):
    """Stock is taken after the order and its lines are written: a short SKU is a 409 and
    the whole transaction rolls back, the other SKUs' stock included."""
    plenty, short = make_product(make_supplier(), [("500g", 1290, 10), ("1kg", 2390, 1)])
    refused = client.post("/api/v1/orders", headers={**auth(make_user()), "Idempotency-Key": "s1"},
                          json={"items": [{"sku_id": plenty, "quantity": 3},
                                          {"sku_id": short, "quantity": 2}],
                                "address": ADDRESS})

    assert refused.status_code == 409
    assert refused.json()["error"] == {"code": "out_of_stock",
                                       "message": f"not enough stock for SKU {short}"}
    with read_session() as session:
        assert [session.get_one(Sku, s).stock for s in (plenty, short)] == [10, 1]
        for table in (Order, OrderLine, IdempotencyKey):
            assert session.scalar(select(func.count()).select_from(table)) == 0


def test_an_order_whose_first_line_is_short_takes_none_of_the_others(client):
    """The SKUs are taken in one batch, in id order: the short one first does not stop the
    batch halfway, and the others' units come back with the rollback."""
    short, plenty, more = make_product(make_supplier(), [("250g", 590, 1), ("500g", 1290, 10),
                                                         ("1kg", 2390, 10)])
    refused = client.post("/api/v1/orders", headers={**auth(make_user()), "Idempotency-Key": "s2"},
                          json={"items": [{"sku_id": more, "quantity": 1},
                                          {"sku_id": plenty, "quantity": 4},
                                          {"sku_id": short, "quantity": 2}],
                                "address": ADDRESS})

    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == f"not enough stock for SKU {short}"
    with read_session() as session:
        assert [session.get_one(Sku, s).stock for s in (short, plenty, more)] == [1, 10, 10]
        assert session.scalar(select(func.count()).select_from(Order)) == 0
