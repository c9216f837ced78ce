"""The ledger's own check (``quanzi ledger check``): what must hold whatever happened.

- every entry sums to zero, and debits equal credits;
- escrow holds exactly what the caller says paid, unsettled orders hold (the ledger does
  not know orders: ``orders.audit.held_in_escrow_fen`` tells it);
- no wallet or supplier account goes below zero except by a clawback: its postings are
  replayed in entry order, and a posting that takes the running balance below zero, or
  further below, must belong to a ``clawback`` entry;
- ``payout_clearing`` holds exactly the payouts approved and not yet paid.

``check`` only reads; it returns the problems found, each named, and an empty list when
the books are right::

    >>> check(session, escrow_held_fen=0)
    []
"""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quanzi.ledger import services as ledger
from quanzi.ledger.domain import ESCROW, PAYOUT_CLEARING
from quanzi.ledger.models import JournalEntry, LedgerAccount, Payout, Posting

CLAWBACK = "clawback"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the books: ``name`` is stable, ``detail`` says where."""

    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.name}: {self.detail}"


def check(session: Session, *, escrow_held_fen: int) -> list[Problem]:
    """Every problem of the books; ``escrow_held_fen`` is what paid, unsettled orders hold."""
    return [*_unbalanced(session), *_escrow(session, escrow_held_fen),
            *_below_zero(session), *_clearing(session)]


def _unbalanced(session: Session) -> Iterator[Problem]:
    for entry_id in ledger.unbalanced_entries(session):
        yield Problem("unbalanced_entry", f"entry {entry_id} does not sum to zero")
    trial = ledger.trial_balance(session)
    if trial["total_debits_fen"] != trial["total_credits_fen"]:
        yield Problem("debits_not_credits", f"debits {trial['total_debits_fen']} fen, "
                                            f"credits {trial['total_credits_fen']} fen")


def _escrow(session: Session, held_fen: int) -> Iterator[Problem]:
    escrow = ledger.balance(session, ESCROW)
    if escrow != held_fen:
        yield Problem("escrow_mismatch", f"escrow holds {escrow} fen, paid and unsettled "
                                         f"orders {held_fen} fen")


def _below_zero(session: Session) -> Iterator[Problem]:
    """Wallets and suppliers replayed posting by posting, in entry order."""
    rows = session.execute(
        select(LedgerAccount.code, Posting.amount_fen, JournalEntry.id, JournalEntry.kind)
        .join(Posting, Posting.account_id == LedgerAccount.id)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .where(LedgerAccount.kind.in_(("wallet", "supplier")))
        .order_by(LedgerAccount.code, JournalEntry.id, Posting.id))
    running: dict[str, int] = {}
    for code, amount, entry_id, kind in rows:
        before = running.get(code, 0)
        after = running[code] = before + amount
        if amount < 0 and after < 0 and kind != CLAWBACK:
            yield Problem("negative_balance", f"{code} fell to {after} fen by {kind} entry "
                                              f"{entry_id}, not by a clawback")


def _clearing(session: Session) -> Iterator[Problem]:
    approved = session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0))
                              .where(Payout.status == "approved"))
    clearing = ledger.balance(session, PAYOUT_CLEARING)
    if clearing != int(approved or 0):
        yield Problem("clearing_mismatch", f"payout_clearing holds {clearing} fen, approved "
                                           f"payouts {int(approved or 0)} fen")
