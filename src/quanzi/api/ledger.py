"""The ledger as operators and suppliers see it; supplier payouts."""

from fastapi import APIRouter

from quanzi.api.deps import Id, Operator, ReadSession, SupplierOrOperator
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.core.errors import Forbidden
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account
from quanzi.ledger.schemas import (
    PayoutDecisionIn,
    PayoutIn,
    PayoutOut,
    SupplierBalanceOut,
    TrialBalanceOut,
)

router = APIRouter(tags=["ledger"], responses=ERROR_RESPONSES)


@router.get("/ledger/trial-balance", response_model=TrialBalanceOut)
def trial_balance(_: Operator, session: ReadSession) -> TrialBalanceOut:
    return TrialBalanceOut.model_validate(ledger.trial_balance(session))


@router.get("/suppliers/{supplier_id}/balance", response_model=SupplierBalanceOut)
def supplier_balance(supplier_id: Id, user: SupplierOrOperator,
                     session: ReadSession) -> SupplierBalanceOut:
    _own_supplier(user.is_operator, user.supplier_id, supplier_id)
    return SupplierBalanceOut(supplier_id=supplier_id,
                              payable_fen=ledger.balance(session, supplier_account(supplier_id)),
                              available_fen=payouts.available_fen(session, supplier_id))


@router.post("/suppliers/{supplier_id}/payouts", status_code=201, response_model=PayoutOut)
def request_payout(supplier_id: Id, data: PayoutIn, user: SupplierOrOperator) -> PayoutOut:
    if user.supplier_id != supplier_id:
        raise Forbidden("only the supplier's own staff can request its payout")
    return payouts.request_payout(supplier_id=supplier_id, user_id=user.id,
                                  amount_fen=data.amount_fen)


@router.get("/payouts", response_model=list[PayoutOut])
def list_payouts(user: SupplierOrOperator, session: ReadSession) -> list[PayoutOut]:
    return payouts.payouts_for(session, None if user.is_operator else user.supplier_id)


@router.post("/payouts/{payout_id}/approve", response_model=PayoutOut)
def approve(payout_id: Id, data: PayoutDecisionIn, user: Operator) -> PayoutOut:
    return payouts.decide_payout(payout_id=payout_id, operator_id=user.id, approve=True,
                                 note=data.note)


@router.post("/payouts/{payout_id}/reject", response_model=PayoutOut)
def reject(payout_id: Id, data: PayoutDecisionIn, user: Operator) -> PayoutOut:
    return payouts.decide_payout(payout_id=payout_id, operator_id=user.id, approve=False,
                                 note=data.note)


@router.post("/payouts/{payout_id}/paid", response_model=PayoutOut)
def mark_paid(payout_id: Id, user: Operator) -> PayoutOut:
    return payouts.mark_paid(payout_id=payout_id, operator_id=user.id)


def _own_supplier(is_operator: bool, own: int | None, supplier_id: int) -> None:
    if not is_operator and own != supplier_id:
        raise Forbidden("this is another supplier's account")
