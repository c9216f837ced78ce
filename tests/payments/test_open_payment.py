"""An order has at most one open payment per purpose: parallel pays with new
Idempotency-Keys all get the same intent, and the database refuses a second one."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quanzi import audit
from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.ledger import services as ledger
from quanzi.orders import paying
from quanzi.orders.models import Order
from quanzi.payments import services as payments
from quanzi.payments.models import Payment
from tests.campaigns.helpers import run_concurrently
from tests.factories import make_product, make_supplier, make_user
from tests.orders.race import paid_order


def _unpaid_order() -> tuple[int, int]:
    """(buyer id, order id) of a new order of ¥15.00 awaiting payment."""
    from quanzi.orders.placing import place_order
    from quanzi.orders.schemas import OrderCreate
    from tests.factories import ADDRESS

    (sku,) = make_product(make_supplier(), [("1份", 1500, 5)])
    buyer = make_user().id
    order = place_order(buyer_id=buyer, idempotency_key="o", data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku, "quantity": 1}], "address": ADDRESS}))
    return buyer, int(order.id)


def _payments(order_id: int) -> list[tuple[str, str]]:
    with read_session() as session:
        rows = session.execute(select(Payment.purpose, Payment.status)
                               .where(Payment.order_id == order_id))
        return [(purpose, status) for purpose, status in rows]


def test_sixteen_parallel_pays_open_one_payment():
    buyer, order_id = _unpaid_order()

    def pay(n: int) -> int:
        return paying.start_payment(order_id=order_id, payer_id=buyer,
                                    provider_name="sandbox",
                                    idempotency_key=f"pay-{n}").payment_id

    ids = run_concurrently(pay, range(16), workers=16)
    assert len(set(ids)) == 1
    assert _payments(order_id) == [("order", "created")]
    payments.complete_sandbox(payment_id=ids[0], payer_id=buyer)
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "paid"
        assert ledger.balance(session, "escrow") == 1500
    assert audit.check() == []


def test_the_database_refuses_a_second_open_payment_for_one_purpose():
    buyer, order_id = _unpaid_order()
    intent = paying.start_payment(order_id=order_id, payer_id=buyer, provider_name="sandbox",
                                  idempotency_key="first")
    with pytest.raises(IntegrityError), transaction() as session:
        session.add(Payment(order_id=order_id, payer_id=buyer, provider="other",
                            purpose="order", amount_fen=1500, refunded_fen=0,
                            status="created", created_at=clock.now()))
    with transaction() as session:  # another purpose, or a payment no longer open, is fine
        session.add(Payment(order_id=order_id, payer_id=buyer, provider="other",
                            purpose="deposit", amount_fen=100, refunded_fen=0,
                            status="created", created_at=clock.now()))
        session.add(Payment(order_id=order_id, payer_id=buyer, provider="other",
                            purpose="order", amount_fen=1500, refunded_fen=0,
                            status="closed", created_at=clock.now()))
    assert paying.start_payment(order_id=order_id, payer_id=buyer, provider_name="sandbox",
                                idempotency_key="second").payment_id == intent.payment_id


def test_a_closed_payment_notified_as_paid_is_recorded_and_refunded():
    (sku,) = make_product(make_supplier(), [("1份", 1500, 5)])
    buyer = make_user().id
    order_id = paid_order(buyer, sku, 1, None, "closed")
    with transaction() as session:
        session.add(Payment(order_id=order_id, payer_id=buyer, provider="sandbox",
                            purpose="order", amount_fen=1500, refunded_fen=0,
                            status="closed", created_at=clock.now()))
        session.flush()
        late = session.scalar(select(func.max(Payment.id)))
    payments.complete_sandbox(payment_id=late, payer_id=buyer)
    with read_session() as session:
        assert session.get_one(Payment, late).status == "succeeded"
        assert session.get_one(Payment, late).refunded_fen == 1500
        assert ledger.balance(session, "escrow") == 1500  # the order's one payment
    assert audit.check() == []
