"""A withdrawal or payout the balance no longer covers after a clawback is declined, with
its reason shown to the operator and the requester, and no money leaves."""

import random
import threading
import time
from datetime import timedelta

import pytest

from quanzi import audit
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.orders.refunds import after_sales_refund
from quanzi.orders.schemas import RefundCreate
from quanzi.orders.settlement import settle_due
from quanzi.referral import services as referral
from quanzi.referral.schemas import ConfigIn
from tests.factories import make_user
from tests.orders.race import OPERATOR, completed_orders
from tests.web.helpers import sign_in


@pytest.fixture
def settled(monkeypatch):  # type: ignore[no-untyped-def]
    """One settled order of ¥100.00 whose sharer's wallet got ¥10.00 (10%)."""
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    ((order_id, line_id),) = completed_orders(1, price_fen=10_000, quantity=1)
    clock.advance(timedelta(seconds=1))
    assert settle_due() == 1
    return order_id, line_id


def _claw_back(order_id: int, line_id: int, key: str = "claw") -> None:
    after_sales_refund(actor=OPERATOR, order_id=order_id, idempotency_key=key,
                       data=RefundCreate(lines=[{"line_id": line_id, "quantity": 1}],
                                         reason="质量问题"))


def _balances(*codes: str) -> list[int]:
    with read_session() as session:
        return [ledger.balance(session, code) for code in codes]


def _sharer() -> int:
    with read_session() as session:
        (code,) = [c for c, _ in ledger.balances(session) if c.startswith("wallet:")]
    return int(code.partition(":")[2])


def test_a_withdrawal_no_longer_covered_is_declined_at_approval(settled):
    sharer = _sharer()
    wallet = f"wallet:{sharer}"
    asked = payouts.request_withdrawal(user_id=sharer, amount_fen=1000, idempotency_key="w")
    _claw_back(*settled)
    assert _balances(wallet) == [0]
    decided = payouts.decide_payout(payout_id=asked.id, operator_id=1, approve=True)
    assert decided.status == "declined" and "not covered" in (decided.note or "")
    assert _balances(wallet, "payout_clearing", "external") == [0, 0, -10_000 + 10_000]
    assert audit.check() == []


def test_an_approved_payout_is_not_paid_once_its_account_went_negative(settled):
    sharer = _sharer()
    wallet = f"wallet:{sharer}"
    asked = payouts.request_withdrawal(user_id=sharer, amount_fen=1000, idempotency_key="w")
    payouts.decide_payout(payout_id=asked.id, operator_id=1, approve=True)
    _claw_back(*settled)
    assert _balances(wallet, "payout_clearing") == [-1000, 1000]
    done = payouts.mark_paid(payout_id=asked.id, operator_id=1)
    assert done.status == "declined" and "not covered" in (done.note or "")
    # the amount went back from clearing to the wallet; nothing left the platform
    assert _balances(wallet, "payout_clearing", "external") == [0, 0, 0]
    assert audit.check() == []


def test_a_supplier_payout_no_longer_covered_is_declined_and_shown(settled, client):
    supplier_id = _supplier()
    staff = make_user("supplier", supplier_id=supplier_id)
    asked = payouts.request_supplier_payout(supplier_id=supplier_id, user_id=staff.id,
                                            amount_fen=8500)
    _claw_back(*settled)
    decided = payouts.decide_payout(payout_id=asked.id, operator_id=1, approve=True)
    assert decided.status == "declined"
    assert _balances(f"supplier:{supplier_id}") == [0]
    sign_in(client, staff.email)
    page = client.get("/supplier/balance").text
    assert "余额不足未打款" in page and "未能打款" in page
    sign_in(client, make_user("operator").email)
    listed = client.get("/operator/payouts?status=declined").text
    assert f'data-testid="payout-status-{asked.id}">余额不足未打款' in listed
    assert "未能打款" in listed
    assert audit.check() == []


def test_the_requester_sees_why_on_the_wallet_page(settled, client):
    sharer = _sharer()
    asked = payouts.request_withdrawal(user_id=sharer, amount_fen=1000, idempotency_key="w")
    _claw_back(*settled)
    payouts.decide_payout(payout_id=asked.id, operator_id=1, approve=True)
    sign_in(client, _email(sharer))
    page = client.get("/me/wallet").text
    assert f'data-testid="withdrawal-{asked.id}"' in page
    assert "余额不足未打款" in page and "未能打款" in page


def _supplier() -> int:
    with read_session() as session:
        (code,) = [c for c, _ in ledger.balances(session) if c.startswith("supplier:")]
    return int(code.partition(":")[2])


def _email(user_id: int) -> str:
    from quanzi.accounts.models import User

    with read_session() as session:
        return session.get_one(User, user_id).email or ""


def test_payouts_decided_while_refunds_claw_back_never_overdraw(monkeypatch):
    """Two threads, round by round: an operator approves and pays a supplier's payout of
    its whole balance while an after-sales refund takes that money back (the approval a
    little later each round, so some land while the clawback is being written). Whatever
    the order, no balance goes below zero but by a clawback, and clearing holds exactly
    the approved payouts."""
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    rounds = [completed_orders(1, price_fen=10_000, quantity=1)[0] for _ in range(20)]
    clock.advance(timedelta(seconds=1))
    assert settle_due() == len(rounds)
    asked = [_ask_whole_payout(order_id) for order_id, _ in rounds]
    barriers = [threading.Barrier(2) for _ in rounds]
    delays = random.Random(10).choices([0.001, 0.002, 0.003, 0.004, 0.005, 0.006], k=len(rounds))

    def decide() -> None:
        for payout_id, barrier, delay in zip(asked, barriers, delays, strict=True):
            barrier.wait()
            time.sleep(delay)
            if payouts.decide_payout(payout_id=payout_id, operator_id=1,
                                     approve=True).status == "approved":
                payouts.mark_paid(payout_id=payout_id, operator_id=1)

    def refund() -> None:
        for (order_id, line_id), barrier in zip(rounds, barriers, strict=True):
            barrier.wait()
            _claw_back(order_id, line_id, key=f"c{order_id}")

    threads = [threading.Thread(target=decide), threading.Thread(target=refund)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert audit.check() == []
    with read_session() as session:  # each payout was paid or declined
        assert payouts.list_payouts(session, status="requested") == []
        assert payouts.list_payouts(session, status="approved") == []


def _ask_whole_payout(order_id: int) -> int:
    from quanzi.orders.models import Order

    with read_session() as session:
        supplier_id = session.get_one(Order, order_id).supplier_id
        whole = ledger.balance(session, f"supplier:{supplier_id}")
    staff = make_user("supplier", supplier_id=supplier_id)
    return payouts.request_supplier_payout(supplier_id=supplier_id, user_id=staff.id,
                                           amount_fen=whole).id
