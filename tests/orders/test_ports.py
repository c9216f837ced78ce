"""Orders reaches attribution and commissions only through ``orders.ports``: with another
``Commissions`` plugged in, orders calls it in the transactions that move the money, and
settlement credits exactly the wallets it names."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders import lifecycle, paying, ports
from quanzi.orders.access import Actor
from quanzi.orders.events import OrderPaid
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.refunds import request_refund
from quanzi.orders.schemas import OrderCreate, RefundCreate, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares
from quanzi.referral.models import Commission
from quanzi.referral.schemas import ConfigIn
from quanzi.wiring import wire
from tests.factories import ADDRESS, make_product, make_supplier, make_user

OPERATOR = Actor(0, ("operator",))


class RecordingCommissions(ports.NoCommissions):
    """Names the calls orders makes; attributes every order to ``earner`` and credits them
    ``credit_fen`` at settlement."""

    def __init__(self, earner: int, credit_fen: int) -> None:
        self.earner, self.credit_fen = earner, credit_fen
        self.calls: list[tuple[str, int | None]] = []

    def attribute(self, session: Session, *, buyer_id: int, share_code: str | None,
                  visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
        self.calls.append(("attribute", None))
        return {"promoter_id": self.earner, "share_code": share_code}

    def accrue(self, session: Session, paid: OrderPaid) -> None:
        self.calls.append(("accrue", paid.order_id))

    def reverse(self, session: Session, *, order_id: int, line_id: int, refunded_qty: int,
                line_qty: int) -> None:
        self.calls.append(("reverse", order_id))

    def settle(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        self.calls.append(("settle", order_id))
        return [(self.earner, self.credit_fen)]


@pytest.fixture
def plug() -> Iterator[Any]:
    """``plug(commissions)`` for one test; the wiring of every entry point afterwards."""
    yield ports.use
    wire()


def _paid_order(buyer_id: int, sku: int, quantity: int, code: str | None) -> int:
    order = place_order(buyer_id=buyer_id, idempotency_key="o", data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku, "quantity": quantity}], "address": ADDRESS,
         "share_code": code}))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key="p")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)
    return int(order.id)


def _complete_and_settle(order_id: int, buyer_id: int) -> None:
    lifecycle.ship(actor=OPERATOR, order_id=order_id,
                   data=ShipIn(carrier="顺丰", tracking_no="SF0001"))
    lifecycle.confirm(actor=Actor(buyer_id), order_id=order_id)
    clock.advance(timedelta(days=8))
    assert settle_due() == 1


def _balance(account: str) -> int:
    with read_session() as session:
        return ledger.balance(session, account)


def test_orders_calls_the_plugged_commissions_with_the_money(plug):
    earner, buyer = make_user(), make_user()
    supplier = make_supplier(fee_bp=500)
    (sku,) = make_product(supplier, [("1盒", 2000, 5)])
    fake = RecordingCommissions(earner.id, credit_fen=300)
    plug(fake)
    order_id = _paid_order(buyer.id, sku, 2, None)
    with read_session() as session:
        order = session.get_one(Order, order_id)
        assert order.attribution == {"promoter_id": earner.id, "share_code": None}
        line_id = order.lines[0].id
    request_refund(actor=Actor(buyer.id), order_id=order_id, idempotency_key="r",
                   data=RefundCreate(lines=[{"line_id": line_id, "quantity": 1}], reason="多买了"))
    _complete_and_settle(order_id, buyer.id)
    assert fake.calls == [("attribute", None), ("accrue", order_id), ("reverse", order_id),
                          ("settle", order_id)]
    # gross 2000 after the refund: fee 100, the plugged credit 300, the supplier the rest
    assert _balance(f"wallet:{earner.id}") == 300
    assert _balance("platform_revenue") == 100
    assert _balance(f"supplier:{supplier}") == 1600


def test_without_commissions_a_shared_sale_pays_no_one_but_the_supplier(plug):
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    sharer, buyer = make_user(), make_user()
    applied = referral.apply(user_id=sharer.id, invite_code=None)
    referral.approve(operator_id=0, promoter_id=applied.id)
    supplier = make_supplier(fee_bp=500)
    (sku,) = make_product(supplier, [("1盒", 2000, 5)])
    with read_session() as session:
        product_id = session.get_one(Sku, sku).product_id
    code = shares.create_share(promoter_user_id=sharer.id, product_id=product_id).code
    plug(ports.NoCommissions())
    order_id = _paid_order(buyer.id, sku, 1, code)
    _complete_and_settle(order_id, buyer.id)
    with read_session() as session:
        assert session.get_one(Order, order_id).attribution is None
        assert session.scalar(select(func.count()).select_from(Commission)) == 0
    assert _balance(f"wallet:{sharer.id}") == 0
    assert (_balance("platform_revenue"), _balance(f"supplier:{supplier}")) == (100, 1900)
