"""The checkout path stays cheap: SQL statements counted, not timed.

Creating an order of three lines runs at most 15 statements and paying it at most 15
(the intent and the provider's callback each), whole HTTP requests included.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from quanzi.core.db import get_db
from quanzi.payments.providers import SandboxProvider
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user, pay, place

BUDGET = 15


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []
    db = get_db()
    engines = db.engines

    def record(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("BEGIN"):
            statements.append(" ".join(statement.split())[:80].replace(",", ""))

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def test_order_of_three_lines_and_its_payment_within_budget(client):
    skus = make_product(make_supplier(), [("250g", 990, 50), ("500g", 1690, 50), ("1kg", 2990, 50)])
    headers = auth(make_user())
    body = {"items": [{"sku_id": s, "quantity": 2} for s in skus], "address": ADDRESS}
    pay(client, headers, place(client, headers, [(skus[0], 1)])["id"])  # warm: accounts exist
    with counting() as create:
        order = client.post("/api/v1/orders", json=body,
                            headers={**headers, "Idempotency-Key": "a"})
    assert order.status_code == 201
    with counting() as intent:
        paid = client.post(f"/api/v1/orders/{order.json()['id']}/pay", json={},
                           headers={**headers, "Idempotency-Key": "b"})
    assert paid.status_code == 200
    callback_headers, callback_body = SandboxProvider().signed_callback(
        payment_id=paid.json()["payment_id"], amount_fen=order.json()["total_fen"])
    with counting() as callback:
        done = client.post("/api/v1/payments/sandbox/callback", content=callback_body,
                           headers=callback_headers)
    assert done.json() == {"outcome": "paid"}
    print(f"create={len(create)} {create}\nintent={len(intent)} {intent}\n"
          f"callback={len(callback)} {callback}")
    assert len(create) <= BUDGET
    assert len(intent) <= BUDGET
    assert len(callback) <= BUDGET
