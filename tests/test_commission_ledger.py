"""Commissions reconcile with the ledger across pay, partial refund, settlement and
clawback; concurrent withdrawals never take more than the wallet holds."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from quanzi import audit
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.orders import lifecycle, paying
from quanzi.orders.access import Actor
from quanzi.orders.placing import place_order
from quanzi.orders.refunds import after_sales_refund, request_refund
from quanzi.orders.schemas import OrderCreate, RefundCreate, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares
from quanzi.referral.models import Commission
from quanzi.referral.schemas import ConfigIn
from tests.factories import ADDRESS, make_product, make_supplier, make_user

NET = Commission.amount_fen - Commission.reversed_fen - Commission.clawed_back_fen


def _promoter(invite_code: str | None = None):
    user = make_user()
    applied = referral.apply(user_id=user.id, invite_code=invite_code)
    return user, referral.approve(operator_id=0, promoter_id=applied.id).invite_code


def _buy(buyer_id: int, sku: int, quantity: int, code: str, key: str) -> dict:
    order = place_order(buyer_id=buyer_id, idempotency_key=key, data=OrderCreate.model_validate(
        {"items": [{"sku_id": sku, "quantity": quantity}], "address": ADDRESS,
         "share_code": code}))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key=f"p{key}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)
    return order


def _wallet(user_id: int) -> int:
    with read_session() as session:
        return ledger.balance(session, f"wallet:{user_id}")


def _net_settled(user_id: int) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.coalesce(func.sum(NET), 0)).where(
            Commission.beneficiary_id == user_id,
            Commission.status.in_(("settled", "clawed_back")))) or 0)


def test_commissions_follow_refunds_settlement_and_clawback_in_the_ledger():
    referral.save_config(ConfigIn(
        level1_bp=1000, level2_enabled=True, level2_bp=500, cap_bp=2000))
    inviter, code = _promoter()
    sharer, _ = _promoter(invite_code=code)
    sku = make_product(make_supplier(fee_bp=500), [("1盒", 2000, 50)])[0]
    product_id = _product_of(sku)
    share = shares.create_share(promoter_user_id=sharer.id, product_id=product_id).code
    buyer = make_user()
    me = Actor(buyer.id)
    order = _buy(buyer.id, sku, 4, share, "a")            # 8000: L1 800, L2 400
    line = order.lines[0].id
    request_refund(actor=me, order_id=order.id, idempotency_key="r1",
                   data=RefundCreate(lines=[{"line_id": line, "quantity": 1}], reason="少了"))
    lifecycle.ship(actor=Actor(0, ("operator",)), order_id=order.id,
                   data=ShipIn(carrier="顺丰", tracking_no="SF0001"))
    lifecycle.confirm(actor=me, order_id=order.id)
    clock.advance(timedelta(days=8))
    assert settle_due() == 1
    assert (_wallet(sharer.id), _wallet(inviter.id)) == (600, 300)  # 3 of 4 units kept
    assert _wallet(sharer.id) == _net_settled(sharer.id)
    after_sales_refund(actor=Actor(0, ("operator",)), order_id=order.id,
                       idempotency_key="as1",
                       data=RefundCreate(lines=[{"line_id": line, "quantity": 1}], reason="坏了"))
    assert (_wallet(sharer.id), _wallet(inviter.id)) == (400, 200)  # clawed back 1 of 3
    assert _wallet(sharer.id) == _net_settled(sharer.id)
    assert _wallet(inviter.id) == _net_settled(inviter.id)
    with read_session() as session:
        balances = dict(ledger.balances(session))
        assert ledger.unbalanced_entries(session) == []
    assert sum(balances.values()) == 0 and balances["escrow"] == 0


def test_two_concurrent_withdrawals_of_the_whole_balance_one_succeeds():
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    sharer, _ = _promoter()
    sku = make_product(make_supplier(), [("1盒", 50000, 5)])[0]
    code = shares.create_share(promoter_user_id=sharer.id, product_id=_product_of(sku)).code
    buyer = make_user()
    order = _buy(buyer.id, sku, 1, code, "w")
    lifecycle.ship(actor=Actor(0, ("operator",)), order_id=order.id,
                   data=ShipIn(carrier="顺丰", tracking_no="SF0002"))
    lifecycle.confirm(actor=Actor(buyer.id), order_id=order.id)
    clock.advance(timedelta(days=8))
    settle_due()
    assert _wallet(sharer.id) == 5000

    def withdraw(n: int) -> str:
        try:
            payouts.request_withdrawal(user_id=sharer.id, amount_fen=5000,
                                       idempotency_key=f"w{n}")
            return "ok"
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(withdraw, range(2)))
    assert outcomes == ["insufficient_balance", "ok"]
    with read_session() as session:
        assert payouts.available_fen(session, f"wallet:{sharer.id}") == 0
    assert audit.check() == []


def _product_of(sku_id: int) -> int:
    from quanzi.catalog.models import Sku

    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id
