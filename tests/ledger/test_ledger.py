"""The ledger's own rules: balanced entries, write-once rows, balances from postings."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from quanzi.core.db import read_session, transaction
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import UnbalancedEntry, balanced, kind_of
from quanzi.ledger.models import Posting


def test_balanced_merges_and_drops_zero():
    assert balanced([("escrow", 100), ("external", -60), ("external", -40), ("x", 0)][:3]) == [
        ("escrow", 100), ("external", -100)]


@pytest.mark.parametrize("postings", [
    [("escrow", 100), ("external", -99)],
    [("escrow", 100)],
    [("escrow", 100), ("escrow", -100)],
    [("escrow", 1.5), ("external", -1.5)],
])
def test_unbalanced_or_fractional_entries_are_refused(postings):
    with pytest.raises(UnbalancedEntry):
        balanced(postings)


def test_account_codes():
    assert kind_of("wallet:7") == ("wallet", 7)
    assert kind_of("supplier:3") == ("supplier", 3)
    with pytest.raises(ValueError):
        kind_of("wallet:x")


def test_post_and_balance_and_trial_balance():
    with transaction() as session:
        ledger.post(session, kind="payment", ref="order:1", dedupe_key="payment:1",
                    postings=[("external", -500), ("escrow", 500)])
        ledger.post(session, kind="settlement", ref="order:1", dedupe_key="settlement:1",
                    postings=[("escrow", -500), ("supplier:1", 475), ("platform_revenue", 25)])
    with read_session() as session:
        assert ledger.balance(session, "escrow") == 0
        assert ledger.balance(session, "supplier:1") == 475
        assert ledger.balance(session, "wallet:9") == 0
        trial = ledger.trial_balance(session)
        assert trial["total_debits_fen"] == trial["total_credits_fen"] == 1000
        assert ledger.unbalanced_entries(session) == []


@pytest.mark.ledger_unchecked  # a payment with no order behind it
def test_the_same_fact_cannot_post_twice():
    with transaction() as session:
        ledger.post(session, kind="payment", ref="order:1", dedupe_key="payment:1",
                    postings=[("external", -500), ("escrow", 500)])
    with pytest.raises(IntegrityError), transaction() as session:
        ledger.post(session, kind="payment", ref="order:1", dedupe_key="payment:1",
                    postings=[("external", -500), ("escrow", 500)])
    with read_session() as session:
        assert ledger.balance(session, "escrow") == 500


@pytest.mark.ledger_unchecked  # a payment with no order behind it
def test_postings_cannot_be_changed_through_the_orm_or_sql():
    with transaction() as session:
        ledger.post(session, kind="payment", ref="order:1", dedupe_key="payment:1",
                    postings=[("external", -500), ("escrow", 500)])
    with pytest.raises((DBAPIError, RuntimeError)), transaction() as session:
        session.execute(update(Posting).values(amount_fen=1))
    with pytest.raises((DBAPIError, RuntimeError)), transaction() as session:
        session.execute(text("DELETE FROM postings"))
    with pytest.raises((DBAPIError, RuntimeError)), transaction() as session:
        session.execute(delete(Posting))
    with read_session() as session:
        assert ledger.balance(session, "escrow") == 500
