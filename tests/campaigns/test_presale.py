"""Presales: a deposit that counts for more, the balance in its window, the unpaid rule."""

from datetime import timedelta

import pytest

from quanzi.campaigns import buying, reactions
from quanzi.campaigns.presale import terms as presales
from quanzi.campaigns.schemas import PresaleCreate
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger import services as ledger
from quanzi.orders import paying
from quanzi.orders.models import Order
from quanzi.payments import services as payments
from tests.campaigns.helpers import bulk_users
from tests.campaigns.test_buying import _sku, _staff
from tests.factories import ADDRESS


def _presale(rule: str = "forfeit_deposit") -> int:
    now = clock.now()
    return presales.create_presale(by=_staff(), data=PresaleCreate(
        sku_id=_sku(price=10000), price_fen=10000, deposit_fen=1000, deposit_worth_fen=3000,
        deposit_starts_at=now - timedelta(minutes=1), deposit_ends_at=now + timedelta(days=1),
        balance_starts_at=now + timedelta(days=2), balance_ends_at=now + timedelta(days=3),
        unpaid_balance_rule=rule)).id


def _pay_due(order_id: int, buyer: int, key: str) -> int:
    intent = paying.start_payment(order_id=order_id, payer_id=buyer, provider_name="sandbox",
                                  idempotency_key=key)
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer)
    return intent.amount_fen


def _order(order_id: int) -> Order:
    with read_session() as session:
        return session.get_one(Order, order_id)


def _balances() -> dict[str, int]:
    with read_session() as session:
        return dict(ledger.balances(session))


def test_deposit_now_balance_in_its_window_then_paid():
    (buyer,) = bulk_users(1)
    order = buying.order_presale(presale_id=_presale(), user_id=buyer, quantity=1,
                                 address=ADDRESS, share_code=None, idempotency_key="p")
    assert (order.total_fen, order.deposit_fen) == (1000 + 7000, 1000)
    assert _pay_due(order.id, buyer, "d") == 1000
    assert _order(order.id).status == "deposit_paid"
    with pytest.raises(Conflict) as early:
        paying.start_payment(order_id=order.id, payer_id=buyer, provider_name="sandbox",
                             idempotency_key="b0")
    assert early.value.code == "not_started"
    clock.advance(timedelta(days=2, minutes=1))
    assert _pay_due(order.id, buyer, "b") == 7000
    assert _order(order.id).status == "paid"
    assert _balances()["escrow"] == 8000


@pytest.mark.parametrize(("rule", "escrow_left", "supplier_gets"),
                         [("forfeit_deposit", 0, 1000 - 50), ("refund_deposit", 0, 0)])
def test_unpaid_balance_follows_the_rule(rule, escrow_left, supplier_gets):
    (buyer,) = bulk_users(1)
    order = buying.order_presale(presale_id=_presale(rule), user_id=buyer, quantity=1,
                                 address=ADDRESS, share_code=None, idempotency_key="p")
    _pay_due(order.id, buyer, "d")
    clock.advance(timedelta(days=3, minutes=1))
    assert reactions.lapse_unpaid_balances() == 1
    assert reactions.lapse_unpaid_balances() == 0
    lapsed = _order(order.id)
    assert lapsed.status == "cancelled"
    balances = _balances()
    assert balances["escrow"] == escrow_left
    assert balances.get(f"supplier:{_supplier_of(lapsed)}", 0) == supplier_gets
    assert sum(balances.values()) == 0


def _supplier_of(order: Order) -> int:
    return order.supplier_id
