"""A provider's callback reaches the order only through ``payments.ports``: the listener
locks the order first, and a payment it cannot take is refunded in full, the order
untouched."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders import paying
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.payments import ports, services
from quanzi.payments.models import Payment, PaymentRefund
from quanzi.payments.providers import SandboxProvider, get_provider
from quanzi.wiring import wire
from tests.factories import ADDRESS, make_product, make_supplier, make_user


@pytest.fixture
def plug() -> Iterator[Any]:
    """``plug(listener)`` for one test; the wiring of every entry point afterwards."""
    yield ports.use
    wire()


def _open_payment() -> tuple[int, int]:
    """(order id, payment id) of a ¥15.00 order with its sandbox payment opened."""
    (sku,) = make_product(make_supplier(), [("1份", 1500, 5)])
    buyer = make_user().id
    order = place_order(buyer_id=buyer, idempotency_key="o", data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer,
                                  provider_name="sandbox", idempotency_key="p")
    return int(order.id), intent.payment_id


def _notify(payment_id: int, amount_fen: int) -> str:
    sandbox = get_provider("sandbox")
    assert isinstance(sandbox, SandboxProvider)
    headers, body = sandbox.signed_callback(payment_id=payment_id, amount_fen=amount_fen)
    return services.handle_callback("sandbox", headers, body)


def test_the_listener_locks_the_order_then_hears_of_the_payment(plug):
    order_id, payment_id = _open_payment()
    listener = ports.RecordingListener()
    plug(listener)
    assert _notify(payment_id, 1500) == "paid"
    assert listener.locked == [order_id]
    assert listener.payments == [(order_id, payment_id, "order")]
    assert _notify(payment_id, 1500) == "duplicate"
    assert listener.payments == [(order_id, payment_id, "order")]


def test_a_payment_the_listener_refuses_is_refunded_and_the_order_is_untouched(plug):
    order_id, payment_id = _open_payment()
    plug(ports.RecordingListener(accept=False))
    assert _notify(payment_id, 1500) == "refunded"
    with read_session() as session:
        order = session.get_one(Order, order_id)
        assert (order.status, order.paid_at) == ("pending_payment", None)
        payment = session.get_one(Payment, payment_id)
        assert (payment.status, payment.refunded_fen) == ("succeeded", 1500)
        assert session.scalars(select(PaymentRefund.amount_fen)).all() == [1500]
        assert ledger.balance(session, "escrow") == 0
