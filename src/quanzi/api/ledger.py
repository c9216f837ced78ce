"""The ledger as operators, suppliers and wallet owners see it; payouts and withdrawals."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from quanzi.accounts.identity import Identity
from quanzi.api.deps import (
    CurrentUser,
    Id,
    IdempotencyKey,
    Operator,
    ReadSession,
    SupplierOrOperator,
    require,
)
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.core.errors import Forbidden
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account, wallet_account
from quanzi.ledger.schemas import (
    PayoutDecisionIn,
    PayoutIn,
    PayoutList,
    PayoutOut,
    SupplierBalanceOut,
    TrialBalanceOut,
    WalletOut,
)
from quanzi.referral import wallets

router = APIRouter(tags=["ledger"], responses=ERROR_RESPONSES)
Earner = Annotated[Identity, Depends(require("promoter", "leader"))]
PayoutStatus = Literal["requested", "approved", "rejected", "declined", "paid"]


@router.get("/ledger/trial-balance", response_model=TrialBalanceOut)
def trial_balance(_: Operator, session: ReadSession) -> TrialBalanceOut:
    return TrialBalanceOut.model_validate(ledger.trial_balance(session))


@router.get("/suppliers/{supplier_id}/balance", response_model=SupplierBalanceOut)
def supplier_balance(supplier_id: Id, user: SupplierOrOperator,
                     session: ReadSession) -> SupplierBalanceOut:
    if not user.is_operator and user.supplier_id != supplier_id:
        raise Forbidden("this is another supplier's account")
    account = supplier_account(supplier_id)
    return SupplierBalanceOut(supplier_id=supplier_id, payable_fen=ledger.balance(session, account),
                              available_fen=payouts.available_fen(session, account))


@router.post("/suppliers/{supplier_id}/payouts", status_code=201, response_model=PayoutOut)
def request_payout(supplier_id: Id, data: PayoutIn, user: SupplierOrOperator) -> PayoutOut:
    if user.supplier_id != supplier_id:
        raise Forbidden("only the supplier's own staff can request its payout")
    return payouts.request_supplier_payout(supplier_id=supplier_id, user_id=user.id,
                                           amount_fen=data.amount_fen)


@router.get("/payouts", response_model=PayoutList)
def list_payouts(user: SupplierOrOperator, session: ReadSession,
                 kind: Literal["supplier_payout", "withdrawal"] | None = None,
                 status: PayoutStatus | None = None) -> PayoutList:
    """Operators see every payout and withdrawal; supplier staff their supplier's payouts."""
    if user.is_operator:
        return PayoutList(items=payouts.list_payouts(session, kind=kind, status=status))
    return PayoutList(items=payouts.list_payouts(
        session, account=supplier_account(user.supplier_id or 0), status=status))


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


@router.get("/me/wallet", response_model=WalletOut)
def my_wallet(user: CurrentUser, session: ReadSession) -> WalletOut:
    """Available to withdraw now, and commission still pending (not withdrawable)."""
    return wallets.wallet(session, user.id)


@router.post("/me/withdrawals", status_code=201, response_model=PayoutOut)
def withdraw(data: PayoutIn, user: Earner, key: IdempotencyKey) -> PayoutOut:
    """Withdraw from the wallet (提现): reviewed by an operator; limits per day apply."""
    return payouts.request_withdrawal(user_id=user.id, amount_fen=data.amount_fen,
                                      idempotency_key=key)


@router.get("/me/withdrawals", response_model=PayoutList)
def my_withdrawals(user: CurrentUser, session: ReadSession) -> PayoutList:
    return PayoutList(items=payouts.list_payouts(session, account=wallet_account(user.id)))
