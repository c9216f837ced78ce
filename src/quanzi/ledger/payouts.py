"""Payouts and withdrawals: requested by the owner, reviewed by an operator, then paid.

Two kinds share one flow: a supplier's payout from ``supplier:N`` and a promoter's or
leader's withdrawal from ``wallet:N``. States: requested → approved → paid, or
requested → rejected (by an operator), or → declined (no longer covered). Approval moves
the amount to ``payout_clearing``; marking it paid moves it out to ``external``. A request
never exceeds what is available — the balance less the requests still open — also when
requests race: the account row is locked (PostgreSQL) or the write transaction is serial
(SQLite).

A refund after settlement may claw money back from the account meanwhile, so approval and
"paid" look again, under the same lock: a request the balance no longer covers is
declined instead of approved, and an approved payout whose account went below zero is
declined instead of paid, its amount going back from clearing to the account. Either way
the reason is kept in ``note``.
"""

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from quanzi.core.idempotency import run_once
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import EXTERNAL, PAYOUT_CLEARING, supplier_account, wallet_account
from quanzi.ledger.models import Payout
from quanzi.ledger.schemas import PayoutOut

MIN_PAYOUT_FEN = 100
SUPPLIER, WITHDRAWAL = "supplier_payout", "withdrawal"
CLOSED = ("rejected", "declined")  # ended without money leaving the account
NOT_COVERED = "余额不足：退款已追回部分款项，未能打款 / not covered: a refund took money back"


def available_fen(session: Session, account: str) -> int:
    """The account's balance less what is already asked for and not yet decided."""
    asked = session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0))
                           .where(Payout.account == account, Payout.status == "requested"))
    return ledger.balance(session, account) - int(asked or 0)


def paid_out_fen(session: Session, account: str) -> int:
    """What has left the account through payouts marked paid."""
    paid = session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0))
                          .where(Payout.account == account, Payout.status == "paid"))
    return int(paid or 0)


def request_supplier_payout(*, supplier_id: int, user_id: int, amount_fen: int) -> PayoutOut:
    if amount_fen < MIN_PAYOUT_FEN:
        raise InvalidInput(f"the smallest payout is {MIN_PAYOUT_FEN} fen", code="below_minimum")
    with transaction() as session:
        payout = _request(session, SUPPLIER, supplier_account(supplier_id), user_id, amount_fen,
                          supplier_id=supplier_id)
        return payout_out(payout)


def request_withdrawal(*, user_id: int, amount_fen: int, idempotency_key: str) -> PayoutOut:
    """A promoter or leader withdraws from their wallet (提现), within the daily limits.

    Once per idempotency key; 409 ``insufficient_balance`` or ``limit_reached``.
    """
    settings = get_settings()
    if amount_fen < settings.withdrawal_min_fen:
        raise InvalidInput(f"the smallest withdrawal is {settings.withdrawal_min_fen} fen",
                           code="below_minimum")

    def work(session: Session) -> PayoutOut:
        account = wallet_account(user_id)
        ledger.lock_account(session, account)
        since = clock.now() - timedelta(days=1)
        count, total = session.execute(
            select(func.count(), func.coalesce(func.sum(Payout.amount_fen), 0))
            .where(Payout.account == account, Payout.created_at > since,
                   Payout.status.not_in(CLOSED))).one()
        if count >= settings.withdrawal_daily_count:
            raise Conflict(f"at most {settings.withdrawal_daily_count} withdrawals a day",
                           code="limit_reached")
        if int(total) + amount_fen > settings.withdrawal_daily_limit_fen:
            raise Conflict(f"at most {settings.withdrawal_daily_limit_fen} fen a day",
                           code="limit_reached")
        payout = _request(session, WITHDRAWAL, account, user_id, amount_fen)
        return payout_out(payout)

    return run_once(f"withdraw:{user_id}", idempotency_key, {"amount_fen": amount_fen}, work,
                    answer=PayoutOut)


def _request(session: Session, kind: str, account: str, user_id: int, amount_fen: int,
             supplier_id: int | None = None) -> Payout:
    ledger.lock_account(session, account)
    available = available_fen(session, account)
    if amount_fen > available:
        raise Conflict(f"only {max(available, 0)} fen is available", code="insufficient_balance")
    payout = Payout(kind=kind, account=account, supplier_id=supplier_id, amount_fen=amount_fen,
                    status="requested", requested_by=user_id, created_at=clock.now())
    session.add(payout)
    session.flush()
    return payout


def decide_payout(*, payout_id: int, operator_id: int, approve: bool,
                  note: str | None = None) -> PayoutOut:
    """Approve (money to payout_clearing) or reject a request.

    Approval first locks the account and checks its balance still covers the amount;
    when it does not (a clawback came in between), the request is ``declined`` with the
    reason in ``note`` and no money moves.
    """
    with transaction() as session:
        if not approve:
            return payout_out(_transition(session, payout_id, "requested", "rejected",
                                          operator_id, note))
        payout = _locked(session, payout_id)
        balance = ledger.balance(session, payout.account)
        if balance < payout.amount_fen:
            return payout_out(_transition(session, payout_id, "requested", "declined",
                                          operator_id, _shortfall(balance)))
        payout = _transition(session, payout_id, "requested", "approved", operator_id, note)
        ledger.post(session, kind=payout.kind, ref=f"payout:{payout.id}",
                    dedupe_key=f"payout-approved:{payout.id}",
                    postings=[(payout.account, -payout.amount_fen),
                              (PAYOUT_CLEARING, payout.amount_fen)],
                    memo=f"{payout.kind} {payout.id} approved")
        return payout_out(payout)


def mark_paid(*, payout_id: int, operator_id: int) -> PayoutOut:
    """The bank transfer went out: clearing → external.

    If the account went below zero since approval (a clawback), nothing is paid: the
    payout is ``declined`` with the reason in ``note`` and its amount goes back from
    clearing to the account.
    """
    with transaction() as session:
        payout = _locked(session, payout_id)
        balance = ledger.balance(session, payout.account)
        if balance < 0:
            payout = _transition(session, payout_id, "approved", "declined", operator_id,
                                 _shortfall(balance))
            ledger.post(session, kind=payout.kind, ref=f"payout:{payout.id}",
                        dedupe_key=f"payout-returned:{payout.id}",
                        postings=[(PAYOUT_CLEARING, -payout.amount_fen),
                                  (payout.account, payout.amount_fen)],
                        memo=f"{payout.kind} {payout.id} declined: returned to the account")
            return payout_out(payout)
        payout = _transition(session, payout_id, "approved", "paid", operator_id, None)
        ledger.post(session, kind=payout.kind, ref=f"payout:{payout.id}",
                    dedupe_key=f"payout-paid:{payout.id}",
                    postings=[(PAYOUT_CLEARING, -payout.amount_fen),
                              (EXTERNAL, payout.amount_fen)],
                    memo=f"{payout.kind} {payout.id} paid")
        return payout_out(payout)


def _locked(session: Session, payout_id: int) -> Payout:
    """The payout, with its account locked for the rest of the transaction (404 if none)."""
    payout = session.get(Payout, payout_id)
    if payout is None:
        raise NotFound("no such payout")
    ledger.lock_account(session, payout.account)
    return payout


def _shortfall(balance: int) -> str:
    return f"{NOT_COVERED} (balance {balance} fen)"


def _transition(session: Session, payout_id: int, current: str, new: str,
                operator_id: int, note: str | None) -> Payout:
    values = {"status": new, "decided_by": operator_id, "decided_at": clock.now()}
    if note is not None:  # an earlier note (the approval's) stays unless replaced
        values["note"] = note
    changed = changed_rows(
        session,
        update(Payout).where(Payout.id == payout_id, Payout.status == current)
        .values(**values).execution_options(synchronize_session=False))
    payout = session.get(Payout, payout_id, populate_existing=True)
    if payout is None:
        raise NotFound("no such payout")
    if not changed:
        raise InvalidTransition("payout", payout.status, f"mark {new}")
    return payout


def list_payouts(session: Session, *, kind: str | None = None, account: str | None = None,
                 status: str | None = None) -> list[PayoutOut]:
    query = select(Payout).order_by(Payout.id.desc()).limit(200)
    if kind is not None:
        query = query.where(Payout.kind == kind)
    if account is not None:
        query = query.where(Payout.account == account)
    if status is not None:
        query = query.where(Payout.status == status)
    return [payout_out(p) for p in session.scalars(query)]


def payout_out(payout: Payout) -> PayoutOut:
    return PayoutOut(id=payout.id, kind=payout.kind, account=payout.account,
                     supplier_id=payout.supplier_id, amount_fen=payout.amount_fen,
                     status=payout.status, note=payout.note, created_at=payout.created_at,
                     decided_at=payout.decided_at)
