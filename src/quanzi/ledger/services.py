"""Posting to the ledger and reading balances. Every money movement comes through ``post``.

Sign convention: a posting's ``amount_fen`` is what the account's owner gains (+) or
loses (−); an entry's postings sum to zero, so money is only ever moved, never made.
``external`` goes negative as money comes in from outside.
"""

import weakref

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.db import changed_rows, table
from quanzi.ledger.domain import balanced, kind_of
from quanzi.ledger.models import JournalEntry, LedgerAccount, Posting

# built once, run on every sale; Core, on the tables (the ORM's bulk insert costs more)
_NEW_ENTRY = insert(table(JournalEntry)).returning(table(JournalEntry).c.id)
_NEW_POSTINGS = insert(table(Posting))
_ids: "weakref.WeakKeyDictionary[Engine, dict[str, int]]" = weakref.WeakKeyDictionary()


def account_id(session: Session, code: str) -> int:
    """The id of account ``code``, created on first use (safe under concurrency).

    Ids are cached per engine, but never one this transaction created itself: if the
    transaction rolls back, that row never existed.
    """
    engine = session.get_bind()
    cache = _ids.setdefault(engine, {})  # type: ignore[arg-type]
    if code in cache:
        return cache[code]
    mine = session.info.setdefault("ledger_accounts_created", set())
    found = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    if found is None:
        kind, owner = kind_of(code)
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        insert = (dialect.insert(LedgerAccount)
                  .values(code=code, kind=kind, owner_id=owner, created_at=clock.now())
                  .on_conflict_do_nothing(index_elements=["code"]))
        if changed_rows(session, insert):
            mine.add(code)
        found = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    assert found is not None
    if code not in mine:
        cache[code] = found
    return found


def post(session: Session, *, kind: str, ref: str, dedupe_key: str,
         postings: list[tuple[str, int]], memo: str = "") -> int:
    """Write one balanced journal entry and return its id (flushes).

    ``dedupe_key`` is unique: posting the same business fact twice fails the whole
    transaction, so a caller's bug can never move money twice. Raises UnbalancedEntry.
    """
    lines = balanced(postings)
    entry_id: int = session.execute(_NEW_ENTRY, {
        "kind": kind, "ref": ref, "dedupe_key": dedupe_key, "memo": memo[:255],
        "created_at": clock.now()}).scalar_one()
    rows = [{"entry_id": entry_id, "account_id": account_id(session, code), "amount_fen": amount}
            for code, amount in lines]
    session.execute(_NEW_POSTINGS, rows)  # one executemany
    return entry_id


def balance(session: Session, code: str) -> int:
    """The account's balance: the sum of its postings (0 for an unused account)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Posting.amount_fen), 0))
        .join(LedgerAccount, LedgerAccount.id == Posting.account_id)
        .where(LedgerAccount.code == code))
    return int(total or 0)


def lock_account(session: Session, code: str) -> None:
    """Serialise writers of one account (row lock on PostgreSQL; SQLite writers are serial)."""
    ident = account_id(session, code)
    session.execute(select(LedgerAccount.id).where(LedgerAccount.id == ident).with_for_update())


def balances(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(LedgerAccount.code, func.coalesce(func.sum(Posting.amount_fen), 0))
        .join(Posting, Posting.account_id == LedgerAccount.id, isouter=True)
        .group_by(LedgerAccount.code).order_by(LedgerAccount.code)).all()
    return [(code, int(total)) for code, total in rows]


def trial_balance(session: Session) -> dict[str, object]:
    """Debits (money leaving accounts) and credits (money reaching them) always match."""
    debits = session.scalar(select(func.coalesce(func.sum(-Posting.amount_fen), 0))
                            .where(Posting.amount_fen < 0))
    credits = session.scalar(select(func.coalesce(func.sum(Posting.amount_fen), 0))
                             .where(Posting.amount_fen > 0))
    return {"total_debits_fen": int(debits or 0), "total_credits_fen": int(credits or 0),
            "accounts": [{"account": code, "balance_fen": bal} for code, bal in balances(session)]}


def entries_for(session: Session, ref: str) -> list[JournalEntry]:
    return list(session.scalars(select(JournalEntry).where(JournalEntry.ref == ref)
                                .order_by(JournalEntry.id)))


def unbalanced_entries(session: Session) -> list[int]:
    """Ids of entries whose postings do not sum to zero (always empty; for audits and tests)."""
    rows = session.execute(select(Posting.entry_id).group_by(Posting.entry_id)
                           .having(func.sum(Posting.amount_fen) != 0)).scalars().all()
    return list(rows)
