"""The wallet (钱包) of promoters and leaders: what is available, pending and being withdrawn,
the withdrawals so far, and the withdrawal form (提现).

The page is ``GET /api/v1/me/wallet`` and ``GET /api/v1/me/withdrawals`` side by side; its
form calls the service behind ``POST /api/v1/me/withdrawals``, for the same roles (promoter
or leader). A refusal (below the minimum, more than available, the daily limits) is shown
under the amount in the reader's language, with the amount kept and nothing withdrawn.

The page used to live at ``/promoter/wallet``; that address now leads here, and the old
form address ``/promoter/withdraw`` still works, so pages opened before the move do too.
"""

import secrets

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput, QuanziError
from quanzi.core.money import parse_yuan
from quanzi.ledger import payouts
from quanzi.ledger.domain import wallet_account
from quanzi.referral import wallets
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import CheckedForm, EarnerUser, PageRoute, redirect, render, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/me/wallet"


@router.get(PAGE)
def wallet_page(request: Request, user: EarnerUser) -> Response:
    return _page(request, user)


@router.get("/promoter/wallet")
def old_wallet_page(request: Request, user: EarnerUser) -> Response:
    """The wallet's former address."""
    return redirect(request, PAGE)


@router.post("/me/withdrawals")
@router.post("/promoter/withdraw")
def withdraw(request: Request, user: EarnerUser, form: CheckedForm) -> Response:
    """Withdraw the amount typed in yuan (``amount``, e.g. 12.34), once per form (``key``)."""
    amount = text(form, "amount", 16)
    try:
        amount_fen = parse_yuan(amount)
        if amount_fen is None:
            raise InvalidInput("not an amount", code="bad_amount")
        payouts.request_withdrawal(user_id=user.id, amount_fen=amount_fen,
                                   idempotency_key=text(form, "key", 64)
                                   or secrets.token_urlsafe(16))
    except QuanziError as exc:
        return _page(request, user, error=refusals.say(exc, i18n.negotiate(request)),
                     amount=amount, status_code=exc.status)
    return redirect(request, PAGE)


def _page(request: Request, user: Identity, *, error: str | None = None, amount: str = "",
          status_code: int = 200) -> Response:
    with read_session() as session:
        wallet = wallets.wallet(session, user.id)
        withdrawals = payouts.list_payouts(session, account=wallet_account(user.id))
    return render(request, "accounts/wallet.html", {
        "wallet": wallet, "withdrawals": withdrawals, "error": error, "amount": amount,
        "key": secrets.token_urlsafe(16)}, status_code=status_code)
