"""Every list the API answers is ``{"items": [...]}``, these three included: payouts,
my withdrawals and an order's refunds."""

from quanzi.core.db import transaction
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account, wallet_account
from tests.factories import auth, make_product, make_supplier, make_user, pay, place


def _fund(account: str, amount_fen: int) -> None:
    """Money in ``account`` (from outside), as a settlement would leave it."""
    with transaction() as session:
        ledger.post(session, kind="test", ref=account, dedupe_key=f"fund:{account}",
                    postings=[("external", -amount_fen), (account, amount_fen)])


def test_payouts_and_my_withdrawals_are_items(client):
    supplier_id = make_supplier()
    staff, operator = make_user("supplier", supplier_id=supplier_id), make_user("operator")
    promoter = make_user("promoter")
    _fund(supplier_account(supplier_id), 5000)
    _fund(wallet_account(promoter.id), 3000)
    payout = client.post(f"/api/v1/suppliers/{supplier_id}/payouts", json={"amount_fen": 4000},
                         headers=auth(staff)).json()
    withdrawal = client.post("/api/v1/me/withdrawals", json={"amount_fen": 1500},
                             headers={**auth(promoter), "Idempotency-Key": "w1"}).json()

    everything = client.get("/api/v1/payouts", headers=auth(operator)).json()
    suppliers = client.get("/api/v1/payouts", headers=auth(staff)).json()
    mine = client.get("/api/v1/me/withdrawals", headers=auth(promoter)).json()

    assert [p["id"] for p in everything["items"]] == [withdrawal["id"], payout["id"]]
    assert suppliers == {"items": [everything["items"][1]]}
    assert list(mine) == ["items"] and [w["amount_fen"] for w in mine["items"]] == [1500]


def test_an_orders_refunds_are_items(client):
    (sku,) = make_product(make_supplier(), [("500g", 1000, 10)])
    buyer = auth(make_user())
    order = pay(client, buyer, place(client, buyer, [(sku, 2)])["id"])
    assert client.get(f"/api/v1/orders/{order['id']}/refunds", headers=buyer).json() == {
        "items": []}
    asked = client.post(f"/api/v1/orders/{order['id']}/refunds", headers={
        **buyer, "Idempotency-Key": "r1"}, json={
        "lines": [{"line_id": order["lines"][0]["id"], "quantity": 1}], "reason": "不想要了"})

    listed = client.get(f"/api/v1/orders/{order['id']}/refunds", headers=buyer).json()

    assert asked.status_code == 201, asked.text
    assert listed == {"items": [asked.json()]}


def test_no_operation_answers_a_bare_list(client):
    """The rule over the whole schema: a list is always wrapped, so fields can be added."""
    spec = client.get("/openapi.json").json()
    bare = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            ok = operation.get("responses", {}).get("200") or {}
            schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
    assert bare == []

