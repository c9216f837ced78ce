"""``quanzi ledger check``: quiet on right books, and names each thing wrong with them."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, text
from typer.testing import CliRunner

from quanzi import audit
from quanzi.cli import app
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.ledger import services as ledger
from quanzi.ledger.models import JournalEntry, Posting
from quanzi.orders.settlement import settle_due
from quanzi.payments.models import Payment
from quanzi.referral import services as referral
from quanzi.referral.schemas import ConfigIn
from tests.orders.race import completed_orders

runner = CliRunner()


def _post(kind: str, key: str, postings: list[tuple[str, int]]) -> None:
    with transaction() as session:
        ledger.post(session, kind=kind, ref=key, dedupe_key=key, postings=postings)


def _names() -> list[str]:
    return sorted(problem.name for problem in audit.check())


def test_right_books_pass_and_the_command_says_so(monkeypatch):
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    completed_orders(3, price_fen=1000, quantity=1)
    clock.advance(timedelta(seconds=1))
    assert settle_due() == 3
    assert audit.check() == []
    result = runner.invoke(app, ["ledger", "check"])
    assert result.exit_code == 0, result.output
    assert "ledger ok" in result.output


@pytest.mark.ledger_unchecked
def test_money_in_escrow_that_no_order_holds_is_named():
    _post("payment", "stray", [("external", -500), ("escrow", 500)])
    assert _names() == ["escrow_mismatch"]
    result = runner.invoke(app, ["ledger", "check"])
    assert result.exit_code == 1
    assert "escrow_mismatch: escrow holds 500 fen, paid and unsettled orders 0 fen" in \
        result.output.replace("\n", " ")


@pytest.mark.ledger_unchecked
def test_a_balance_below_zero_is_named_unless_a_clawback_took_it_there():
    _post("clawback", "c1", [("wallet:7", -300), ("platform_revenue", 300)])
    assert _names() == []
    _post("withdrawal", "w1", [("wallet:7", -100), ("external", 100)])
    _post("settlement", "s1", [("supplier:3", -50), ("platform_revenue", 50)])
    problems = audit.check()
    assert sorted(p.name for p in problems) == ["negative_balance", "negative_balance"]
    assert {str(p).split(" fell")[0] for p in problems} == {
        "negative_balance: supplier:3", "negative_balance: wallet:7"}


@pytest.mark.ledger_unchecked
def test_an_entry_that_does_not_sum_to_zero_is_named():
    with transaction() as session:
        entry = JournalEntry(kind="payment", ref="bad", dedupe_key="bad", memo="",
                             created_at=clock.now())
        session.add(entry)
        session.flush()
        session.execute(insert(Posting), [
            {"entry_id": entry.id, "account_id": ledger.account_id(session, "external"),
             "amount_fen": -100},
            {"entry_id": entry.id, "account_id": ledger.account_id(session, "escrow"),
             "amount_fen": 90}])
    assert _names() == ["debits_not_credits", "escrow_mismatch", "unbalanced_entry"]


@pytest.mark.ledger_unchecked
def test_clearing_without_an_approved_payout_is_named():
    _post("settlement", "s1", [("platform_revenue", -100), ("wallet:4", 100)])
    _post("withdrawal", "w1", [("wallet:4", -100), ("payout_clearing", 100)])
    assert _names() == ["clearing_mismatch"]


@pytest.mark.ledger_unchecked
def test_two_open_payments_for_one_purpose_are_named(db):
    ((order_id, _),) = completed_orders(1, price_fen=1000, quantity=1)
    with transaction() as session:
        session.execute(text("DROP INDEX uq_payments_open_purpose"))
    try:
        with transaction() as session:
            for _ in range(2):
                session.add(Payment(order_id=order_id, payer_id=1, provider="sandbox",
                                    purpose="order", amount_fen=1000, refunded_fen=0,
                                    status="created", created_at=clock.now()))
        assert _names() == ["open_payments"]
    finally:
        with transaction() as session:
            session.execute(text("DELETE FROM payments WHERE status = 'created'"))
            session.execute(text("CREATE UNIQUE INDEX uq_payments_open_purpose ON payments "
                                 "(order_id, purpose) WHERE status = 'created'"))
