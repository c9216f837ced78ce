"""Tables of the ledger. Entries and postings are written once, never updated or deleted."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quanzi.core.db import Base, UTCDateTime


class LedgerAccount(Base):
    """An account such as ``escrow``, ``supplier:3`` or ``wallet:12``.

    Balances are never stored: they are the sum of the account's postings. A positive
    balance is money the platform holds for (or owes to) that account's owner.
    """

    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JournalEntry(Base):
    """A balanced set of postings. ``dedupe_key`` makes each business fact post once."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    ref: Mapped[str] = mapped_column(String(60), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(100), unique=True)
    memo: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    postings: Mapped[list["Posting"]] = relationship(order_by="Posting.id", lazy="selectin")


class Posting(Base):
    """One side of an entry: a signed amount on one account (credit > 0, debit < 0)."""

    __tablename__ = "postings"
    __table_args__ = (CheckConstraint("amount_fen <> 0", name="nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class Payout(Base):
    """Money leaving the platform for its owner: a supplier's payout (结算提现) or a
    promoter's / leader's wallet withdrawal (提现). An operator reviews each one.

    ``account`` is the ledger account paid from (``supplier:3``, ``wallet:12``).
    """

    __tablename__ = "payouts"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    account: Mapped[str] = mapped_column(String(40), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _refuse_change(mapper: object, connection: object, target: object) -> None:
    raise RuntimeError(f"{type(target).__name__} rows are written once, never changed")


for _model in (JournalEntry, Posting):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
