"""The sandbox provider's signed callbacks: refused when forged, stale, replayed or wrong."""

import json
from datetime import timedelta

from sqlalchemy import select

from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders.lifecycle import expire_unpaid
from quanzi.payments.models import CallbackLog, Payment, PaymentRefund
from quanzi.payments.providers import SandboxProvider
from tests.factories import auth, make_product, make_supplier, make_user, place, snapshot

CALLBACK = "/api/v1/payments/sandbox/callback"


def _intent(client, headers, order_id):
    response = client.post(f"/api/v1/orders/{order_id}/pay", json={"provider": "sandbox"},
                           headers={**headers, "Idempotency-Key": f"pay-{order_id}"})
    assert response.status_code == 200, response.text
    return response.json()


def _setup(client, stock=5, price=1500):
    (sku,) = make_product(make_supplier(), [("1份", price, stock)])
    headers = auth(make_user())
    order = place(client, headers, [(sku, 1)])
    return sku, headers, order, _intent(client, headers, order["id"])


def _escrow() -> int:
    with read_session() as session:
        return ledger.balance(session, "escrow")


def _outcomes() -> list[str]:
    with read_session() as session:
        return list(session.scalars(select(CallbackLog.outcome).order_by(CallbackLog.id)))


def test_signed_callback_pays_once_and_replay_has_no_effect(client):
    _, headers, order, intent = _setup(client)
    assert intent["pay_url"] == f"/sandbox/pay/{intent['payment_id']}"
    signed_headers, body = SandboxProvider().signed_callback(payment_id=intent["payment_id"],
                                                             amount_fen=1500)
    first = client.post(CALLBACK, content=body, headers=signed_headers)
    again = client.post(CALLBACK, content=body, headers=signed_headers)
    assert first.json() == {"outcome": "paid"}
    assert again.json() == {"outcome": "duplicate"}
    assert _escrow() == 1500
    assert client.get(f"/api/v1/orders/{order['id']}", headers=headers).json()["status"] == "paid"


def test_bad_signature_is_refused_and_logged(client):
    _, _, _, intent = _setup(client)
    signed_headers, body = SandboxProvider().signed_callback(payment_id=intent["payment_id"],
                                                             amount_fen=1500)
    signed_headers["x-sandbox-signature"] = "0" * 64
    response = client.post(CALLBACK, content=body, headers=signed_headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert _escrow() == 0 and _outcomes() == ["bad_signature"]


def test_tampered_body_is_refused(client):
    _, _, _, intent = _setup(client)
    signed_headers, body = SandboxProvider().signed_callback(payment_id=intent["payment_id"],
                                                             amount_fen=1500)
    forged = body.replace(b'"amount_fen":1500', b'"amount_fen":1')
    assert client.post(CALLBACK, content=forged, headers=signed_headers).status_code == 400
    assert _escrow() == 0


def test_stale_timestamp_is_refused(client):
    _, _, _, intent = _setup(client)
    old = int((clock.now() - timedelta(minutes=6)).timestamp())
    signed_headers, body = SandboxProvider().signed_callback(payment_id=intent["payment_id"],
                                                             amount_fen=1500, timestamp=old)
    response = client.post(CALLBACK, content=body, headers=signed_headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "stale_callback"
    assert _escrow() == 0


def test_wrong_amount_is_refused_and_logged(client):
    _, headers, order, intent = _setup(client)
    signed_headers, body = SandboxProvider().signed_callback(payment_id=intent["payment_id"],
                                                             amount_fen=100)
    response = client.post(CALLBACK, content=body, headers=signed_headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_mismatch"
    assert _outcomes() == ["amount_mismatch"]
    assert _escrow() == 0
    status = client.get(f"/api/v1/orders/{order['id']}", headers=headers).json()["status"]
    assert status == "pending_payment"


def test_unknown_payment_is_refused(client):
    signed_headers, body = SandboxProvider().signed_callback(payment_id=999, amount_fen=100)
    before = snapshot()
    response = client.post(CALLBACK, content=body, headers=signed_headers)
    assert response.status_code == 400
    assert json.loads(response.text)["error"]["code"] == "unknown_payment"
    after = snapshot()
    logged = after["rows"].pop("payment_callbacks") - before["rows"].pop("payment_callbacks")
    assert (logged, _outcomes()) == (1, ["unknown_payment"])  # the refusal is only logged
    assert after == before


def test_late_payment_takes_stock_back_when_still_there(client):
    sku, headers, _order, intent = _setup(client, stock=1)
    clock.advance(timedelta(minutes=16))
    assert expire_unpaid() == 1
    done = client.post(f"/api/v1/payments/sandbox/{intent['payment_id']}/complete", headers=headers)
    assert done.json()["status"] == "paid"
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 0
    assert _escrow() == 1500


def test_late_payment_is_refunded_when_stock_was_sold(client):
    sku, headers, _order, intent = _setup(client, stock=1)
    clock.advance(timedelta(minutes=16))
    assert expire_unpaid() == 1
    other = auth(make_user())
    place(client, other, [(sku, 1)])  # the released unit is sold to someone else
    done = client.post(f"/api/v1/payments/sandbox/{intent['payment_id']}/complete", headers=headers)
    assert done.json()["status"] == "cancelled"
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 0  # never oversold
        refund = session.scalars(select(PaymentRefund)).one()
        assert (refund.amount_fen, refund.status) == (1500, "succeeded")
        assert session.get_one(Payment, intent["payment_id"]).refunded_fen == 1500
        assert dict(ledger.balances(session)) == {"escrow": 0, "external": 0}


def test_sandbox_shortcut_is_refused_in_production(client, monkeypatch, settings):
    _, headers, _, intent = _setup(client)
    monkeypatch.setattr(settings, "env", "production")
    before = snapshot()
    response = client.post(f"/api/v1/payments/sandbox/{intent['payment_id']}/complete",
                           headers=headers)
    assert response.status_code == 403
    assert _escrow() == 0
    assert snapshot() == before


def test_paying_someone_elses_order_is_404(client):
    _, _, order, _ = _setup(client)
    stranger = auth(make_user())
    before = snapshot()
    response = client.post(f"/api/v1/orders/{order['id']}/pay", json={"provider": "sandbox"},
                           headers={**stranger, "Idempotency-Key": "x"})
    assert response.status_code == 404
    assert snapshot() == before
