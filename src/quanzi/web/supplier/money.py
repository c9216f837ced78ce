"""The supplier's money: payable (the ledger balance), in escrow (paid orders not yet
settled), paid out, the payouts so far, and requesting a payout (结算提现). Supplier staff
see their own supplier; operators pick any supplier and only look."""

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, Forbidden, InvalidInput
from quanzi.core.money import parse_yuan
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account
from quanzi.ledger.schemas import PayoutOut
from quanzi.orders import queries as orders
from quanzi.web.kit.pages import CheckedForm, PageRoute, SupplierUser, redirect, render, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/supplier/balance"
REFUSALS = {"below_minimum": "单笔结算至少 ¥1.00", "insufficient_balance": "可结算余额不足"}


@dataclass(frozen=True)
class Balance:
    supplier_id: int
    payable_fen: int
    available_fen: int
    escrow_fen: int
    paid_out_fen: int
    payouts: list[PayoutOut]


def balance_of(supplier_id: int) -> Balance:
    """The reads behind ``GET /suppliers/{id}/balance`` and ``GET /payouts``, plus escrow."""
    account = supplier_account(supplier_id)
    with read_session() as session:
        return Balance(supplier_id, ledger.balance(session, account),
                       max(payouts.available_fen(session, account), 0),
                       orders.supplier_escrow_fen(session, supplier_id),
                       payouts.paid_out_fen(session, account),
                       payouts.list_payouts(session, account=account))


@router.get(PAGE)
def balance_page(request: Request, user: SupplierUser, supplier_id: int = 0) -> Response:
    return _page(request, user, supplier_id, error=None)


def _page(request: Request, user: Identity, supplier_id: int, *, error: str | None,
          amount: str = "", status_code: int = 200) -> Response:
    suppliers = []
    if user.is_operator:
        with read_session() as session:
            suppliers = catalog.list_suppliers(session)
        chosen = supplier_id if any(s.id == supplier_id for s in suppliers) else None
    else:
        chosen = user.supplier_id
    return render(request, "supplier/balance.html", {
        "balance": balance_of(chosen) if chosen else None, "suppliers": suppliers,
        "chosen": chosen, "may_request": not user.is_operator, "error": error,
        "amount": amount}, status_code=status_code)


@router.post("/supplier/payouts")
def request_payout(request: Request, user: SupplierUser, form: CheckedForm) -> Response:
    """Ask for a payout of the amount typed in yuan; a refusal is shown on the page."""
    if user.supplier_id is None:
        raise Forbidden("只有供货商员工可以申请结算。")
    amount = text(form, "amount", 16)
    amount_fen = parse_yuan(amount)
    try:
        if amount_fen is None:
            raise InvalidInput("not an amount", code="bad_amount")
        payouts.request_supplier_payout(supplier_id=user.supplier_id, user_id=user.id,
                                        amount_fen=amount_fen)
    except (InvalidInput, Conflict) as exc:
        message = REFUSALS.get(exc.code, "请输入金额，如 12.34")
        return _page(request, user, 0, error=message, amount=amount, status_code=exc.status)
    return redirect(request, PAGE)
