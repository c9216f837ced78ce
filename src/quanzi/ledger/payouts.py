"""Supplier payouts: requested by the supplier, approved (or rejected) by an operator, then paid.

States: requested → approved → paid, or requested → rejected. Approval moves the
amount from the supplier's payable to ``payout_clearing``; marking it paid moves it out
to ``external``. A request can never exceed what is available: the payable balance
less the payouts already requested or approved.
"""

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.db import transaction
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import EXTERNAL, PAYOUT_CLEARING, supplier_account
from quanzi.ledger.models import Payout
from quanzi.ledger.schemas import PayoutOut

MIN_PAYOUT_FEN = 100


def available_fen(session: Session, supplier_id: int) -> int:
    """Payable balance less what is already asked for and not yet approved."""
    asked = session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0))
                           .where(Payout.supplier_id == supplier_id,
                                  Payout.status == "requested"))
    return ledger.balance(session, supplier_account(supplier_id)) - int(asked or 0)


def request_payout(*, supplier_id: int, user_id: int, amount_fen: int) -> PayoutOut:
    if amount_fen < MIN_PAYOUT_FEN:
        raise InvalidInput(f"the smallest payout is {MIN_PAYOUT_FEN} fen", code="below_minimum")
    with transaction() as session:
        ledger.lock_account(session, supplier_account(supplier_id))
        available = available_fen(session, supplier_id)
        if amount_fen > available:
            raise Conflict(f"only {available} fen is available for payout",
                           code="insufficient_balance")
        payout = Payout(supplier_id=supplier_id, amount_fen=amount_fen, status="requested",
                        requested_by=user_id, created_at=clock.now())
        session.add(payout)
        session.flush()
        return payout_out(payout)


def decide_payout(*, payout_id: int, operator_id: int, approve: bool,
                  note: str | None = None) -> PayoutOut:
    """Approve (money to payout_clearing) or reject a requested payout."""
    with transaction() as session:
        payout = _transition(session, payout_id, "requested",
                             "approved" if approve else "rejected", operator_id, note)
        if approve:
            ledger.post(session, kind="payout", ref=f"payout:{payout.id}",
                        dedupe_key=f"payout-approved:{payout.id}",
                        postings=[(supplier_account(payout.supplier_id), -payout.amount_fen),
                                  (PAYOUT_CLEARING, payout.amount_fen)],
                        memo=f"payout {payout.id} approved")
        return payout_out(payout)


def mark_paid(*, payout_id: int, operator_id: int) -> PayoutOut:
    """The bank transfer went out: clearing → external."""
    with transaction() as session:
        payout = _transition(session, payout_id, "approved", "paid", operator_id, None)
        ledger.post(session, kind="payout", ref=f"payout:{payout.id}",
                    dedupe_key=f"payout-paid:{payout.id}",
                    postings=[(PAYOUT_CLEARING, -payout.amount_fen),
                              (EXTERNAL, payout.amount_fen)],
                    memo=f"payout {payout.id} paid")
        return payout_out(payout)


def _transition(session: Session, payout_id: int, current: str, new: str,
                operator_id: int, note: str | None) -> Payout:
    changed = session.execute(
        update(Payout).where(Payout.id == payout_id, Payout.status == current)
        .values(status=new, decided_by=operator_id, decided_at=clock.now(), note=note)
        .execution_options(synchronize_session=False)).rowcount
    payout = session.get(Payout, payout_id, populate_existing=True)
    if payout is None:
        raise NotFound("no such payout")
    if not changed:
        raise InvalidTransition("payout", payout.status, f"mark {new}")
    return payout


def payouts_for(session: Session, supplier_id: int | None) -> list[PayoutOut]:
    query = select(Payout).order_by(Payout.id.desc()).limit(200)
    if supplier_id is not None:
        query = query.where(Payout.supplier_id == supplier_id)
    return [payout_out(p) for p in session.scalars(query)]


def payout_out(payout: Payout) -> PayoutOut:
    return PayoutOut(id=payout.id, supplier_id=payout.supplier_id, amount_fen=payout.amount_fen,
                     status=payout.status, note=payout.note, created_at=payout.created_at,
                     decided_at=payout.decided_at)
