"""Random sequences of order, pay, ship, confirm, refund, after-sales refund, settle and
payout keep the books right.

After every step ``quanzi ledger check`` finds nothing (each entry sums to zero, debits
equal credits, escrow equals what paid and unsettled orders hold, no supplier balance
below zero but by a clawback, one open payment per order and purpose), all balances sum
to zero (money is only moved) and escrow is never negative.
"""

import itertools
from contextlib import suppress
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from quanzi import audit
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account
from quanzi.orders import lifecycle, paying
from quanzi.orders.access import Actor
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.refunds import after_sales_refund, decide, request_refund
from quanzi.orders.schemas import OrderCreate, RefundCreate, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from tests.factories import ADDRESS, make_product, make_supplier, make_user

_keys = itertools.count()


class MoneyFlow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.supplier_id = make_supplier(fee_bp=600)
        self.skus = make_product(self.supplier_id, [("500g", 1290, 40), ("1kg", 2333, 40)])
        buyer = make_user()
        staff = make_user("supplier", supplier_id=self.supplier_id)
        operator = make_user("operator")
        self.buyer = Actor(buyer.id, tuple(buyer.roles))
        self.staff = Actor(staff.id, tuple(staff.roles), self.supplier_id)
        self.operator_id = operator.id
        self.operator = Actor(operator.id, tuple(operator.roles))
        self.orders: list[int] = []
        self.payouts: list[int] = []

    def _try(self, action, *args, **kwargs) -> None:
        with suppress(QuanziError):  # a refused step (409/422) must simply change nothing
            action(*args, **kwargs)

    @rule(a=st.integers(1, 3), b=st.integers(0, 2))
    def place(self, a: int, b: int) -> None:
        items = [{"sku_id": self.skus[0], "quantity": a}]
        if b:
            items.append({"sku_id": self.skus[1], "quantity": b})
        data = OrderCreate.model_validate({"items": items, "address": ADDRESS})
        try:
            order = place_order(buyer_id=self.buyer.id, data=data,
                                idempotency_key=f"o{next(_keys)}")
            self.orders.append(order.id)
        except QuanziError:
            pass

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 50))
    def pay(self, i: int) -> None:
        order_id = self.orders[i % len(self.orders)]
        try:
            intent = paying.start_payment(order_id=order_id, payer_id=self.buyer.id,
                                          provider_name="sandbox",
                                          idempotency_key=f"p{next(_keys)}")
        except QuanziError:
            return
        payments.complete_sandbox(payment_id=intent.payment_id, payer_id=self.buyer.id)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 50))
    def ship(self, i: int) -> None:
        self._try(lifecycle.ship, actor=self.staff, order_id=self.orders[i % len(self.orders)],
                  data=ShipIn(carrier="顺丰", tracking_no="SF0001"))

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 50))
    def confirm(self, i: int) -> None:
        self._try(lifecycle.confirm, actor=self.buyer, order_id=self.orders[i % len(self.orders)])

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 50), line=st.integers(0, 1), qty=st.integers(1, 3),
          approve=st.booleans())
    def refund(self, i: int, line: int, qty: int, approve: bool) -> None:
        order_id = self.orders[i % len(self.orders)]
        with read_session() as session:
            lines = session.get_one(Order, order_id).lines
        target = lines[line % len(lines)]
        data = RefundCreate(lines=[{"line_id": target.id, "quantity": qty}], reason="test")
        try:
            refund = request_refund(actor=self.buyer, order_id=order_id, data=data,
                                    idempotency_key=f"r{next(_keys)}")
        except QuanziError:
            return
        if refund.status == "requested":
            decide(actor=self.staff, refund_id=refund.id, approve=approve, note=None)

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 50), line=st.integers(0, 1), qty=st.integers(1, 3))
    def after_sales(self, i: int, line: int, qty: int) -> None:
        """An operator refunds now, also after settlement (a clawback)."""
        order_id = self.orders[i % len(self.orders)]
        with read_session() as session:
            lines = session.get_one(Order, order_id).lines
        target = lines[line % len(lines)]
        data = RefundCreate(lines=[{"line_id": target.id, "quantity": qty}], reason="售后")
        self._try(after_sales_refund, actor=self.operator, order_id=order_id, data=data,
                  idempotency_key=f"a{next(_keys)}")

    @rule(minutes=st.sampled_from([1, 16, 60 * 24 * 8]))
    def time_passes(self, minutes: int) -> None:
        clock.advance(timedelta(minutes=minutes))
        lifecycle.expire_unpaid()
        settle_due()

    @rule(share=st.integers(1, 100))
    def request_payout(self, share: int) -> None:
        with read_session() as session:
            available = payouts.available_fen(session, supplier_account(self.supplier_id))
        amount = available * share // 100
        if amount >= payouts.MIN_PAYOUT_FEN:
            self.payouts.append(payouts.request_supplier_payout(
                supplier_id=self.supplier_id, user_id=self.staff.id,
                amount_fen=amount).id)

    @precondition(lambda self: self.payouts)
    @rule(i=st.integers(0, 50), approve=st.booleans())
    def decide_payout(self, i: int, approve: bool) -> None:
        """Approved, rejected, or declined when a clawback came first."""
        self._try(payouts.decide_payout, payout_id=self.payouts[i % len(self.payouts)],
                  operator_id=self.operator_id, approve=approve)

    @precondition(lambda self: self.payouts)
    @rule(i=st.integers(0, 50))
    def pay_payout(self, i: int) -> None:
        self._try(payouts.mark_paid, payout_id=self.payouts[i % len(self.payouts)],
                  operator_id=self.operator_id)

    @invariant()
    def books_balance(self) -> None:
        with read_session() as session:
            problems = audit.problems(session)
            balances = dict(ledger.balances(session))
        assert problems == []
        assert sum(balances.values()) == 0
        assert balances.get("escrow", 0) >= 0


def test_money_is_conserved_over_random_histories():
    run_state_machine_as_test(
        MoneyFlow,
        settings=settings(max_examples=12, stateful_step_count=25, deadline=None,
                          suppress_health_check=list(HealthCheck)))
