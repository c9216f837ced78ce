"""Refunds: before shipping at once with stock back; after, on the supplier's approval."""

from datetime import timedelta

from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders.settlement import settle_due
from tests.factories import auth, make_product, make_supplier, make_user, pay, place


def _refund(client, headers, order_id, lines, key):
    return client.post(f"/api/v1/orders/{order_id}/refunds",
                       json={"lines": [{"line_id": i, "quantity": q} for i, q in lines],
                             "reason": "不想要了"},
                       headers={**headers, "Idempotency-Key": key})


def _balance(code: str) -> int:
    with read_session() as session:
        return ledger.balance(session, code)


def _stock(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).stock


def _paid_order(client, stock=10, users=None):
    """A paid order of 3 × ¥10.00 + 1 × ¥18.00 from a supplier paying a 10% fee."""
    supplier_id = make_supplier(fee_bp=1000)
    sku_a, sku_b = make_product(supplier_id, [("500g", 1000, stock), ("1kg", 1800, stock)])
    buyer_user, staff_user = make_user(), make_user("supplier", supplier_id=supplier_id)
    if users is not None:
        users.extend([buyer_user, staff_user])
    buyer, staff = auth(buyer_user), auth(staff_user)
    order = pay(client, buyer, place(client, buyer, [(sku_a, 3), (sku_b, 1)])["id"])
    return supplier_id, (sku_a, sku_b), buyer, staff, order


def test_partial_refund_before_shipping_is_immediate_and_restocks(client):
    _, (sku_a, _), buyer, _, order = _paid_order(client)
    line_a = order["lines"][0]["id"]
    response = _refund(client, buyer, order["id"], [(line_a, 2)], "r1")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["amount_fen"]) == ("refunded", 2000)
    assert _stock(sku_a) == 10 - 3 + 2
    assert _balance("escrow") == 4800 - 2000
    got = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
    assert got["status"] == "paid" and got["refunded_fen"] == 2000
    assert got["lines"][0]["refunded_quantity"] == 2


def test_refunding_everything_ends_the_order_refunded(client):
    _, _, buyer, _, order = _paid_order(client)
    lines = [(line["id"], line["quantity"]) for line in order["lines"]]
    assert _refund(client, buyer, order["id"], lines, "all").status_code == 201
    got = client.get(f"/api/v1/orders/{order['id']}", headers=buyer).json()
    assert got["status"] == "refunded"
    assert _balance("escrow") == 0


def test_cannot_refund_more_than_bought_and_nothing_changes(client):
    _, (sku_a, _), buyer, _, order = _paid_order(client)
    line_a = order["lines"][0]["id"]
    response = _refund(client, buyer, order["id"], [(line_a, 4)], "too-many")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "refund_invalid"
    assert _balance("escrow") == 4800 and _stock(sku_a) == 7
    foreign = _refund(client, buyer, order["id"], [(999_999, 1)], "foreign")
    assert foreign.status_code == 422


def test_after_shipping_the_supplier_decides(client):
    _, (sku_a, _), buyer, staff, order = _paid_order(client)
    client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                json={"carrier": "中通", "tracking_no": "ZT778899"})
    line_a = order["lines"][0]["id"]
    asked = _refund(client, buyer, order["id"], [(line_a, 1)], "r1").json()
    assert asked["status"] == "requested"
    assert _balance("escrow") == 4800
    # the same units cannot be asked for twice while a request is open
    assert _refund(client, buyer, order["id"], [(line_a, 3)], "r2").status_code == 422
    assert client.post(f"/api/v1/refunds/{asked['id']}/approve", headers=buyer,
                       json={}).status_code == 403
    approved = client.post(f"/api/v1/refunds/{asked['id']}/approve", headers=staff, json={})
    assert approved.json()["status"] == "refunded"
    assert _balance("escrow") == 3800
    assert _stock(sku_a) == 7  # shipped goods are not restocked by a refund
    again = client.post(f"/api/v1/refunds/{asked['id']}/approve", headers=staff, json={})
    assert again.status_code == 409


def test_rejected_refund_moves_no_money(client):
    _, _, buyer, staff, order = _paid_order(client)
    client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                json={"carrier": "中通", "tracking_no": "ZT778899"})
    asked = _refund(client, buyer, order["id"], [(order["lines"][1]["id"], 1)], "r").json()
    rejected = client.post(f"/api/v1/refunds/{asked['id']}/reject", headers=staff,
                           json={"note": "已签收且影响二次销售"})
    assert rejected.json()["status"] == "rejected"
    assert _balance("escrow") == 4800


def test_settlement_after_partial_refund_splits_what_is_left(client):
    supplier_id, _, buyer, staff, order = _paid_order(client)
    client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                json={"carrier": "中通", "tracking_no": "ZT778899"})
    client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    asked = _refund(client, buyer, order["id"], [(order["lines"][1]["id"], 1)], "r").json()
    client.post(f"/api/v1/refunds/{asked['id']}/approve", headers=staff, json={})
    clock.advance(timedelta(days=8))
    assert settle_due() == 1
    assert _balance("escrow") == 0
    assert _balance("platform_revenue") == 300  # 10% of 3000
    assert _balance(f"supplier:{supplier_id}") == 2700


def test_open_refund_request_holds_settlement_and_window_closes_refunds(client):
    users: list = []
    _, _, buyer, staff, order = _paid_order(client, users=users)
    client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                json={"carrier": "中通", "tracking_no": "ZT778899"})
    client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    asked = _refund(client, buyer, order["id"], [(order["lines"][1]["id"], 1)], "r").json()
    clock.advance(timedelta(days=8))
    assert settle_due() == 0  # waits for the supplier's decision
    buyer, staff = (auth(user) for user in users)  # a week later: sign in again
    late = _refund(client, buyer, order["id"], [(order["lines"][0]["id"], 1)], "late")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "window_closed"
    client.post(f"/api/v1/refunds/{asked['id']}/reject", headers=staff, json={})
    assert settle_due() == 1
