"""The promoter centre: apply, dashboard (shares with clicks and orders, commissions by
state, team), wallet with withdrawals, and the micro-shop editor."""

import secrets

from fastapi import APIRouter, Request, Response

from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.ledger import payouts, wallets
from quanzi.ledger.domain import wallet_account
from quanzi.referral import queries, services, shops
from quanzi.referral.schemas import ShopIn
from quanzi.web.pages import CheckedForm, PageRoute, PromoterUser, SignedIn, redirect, render, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
COMMISSION_STATES = ("pending", "settled", "reversed", "clawed_back")


@router.get("/promoter")
def centre(request: Request, user: SignedIn) -> Response:
    """Apply when not a promoter yet; the dashboard once approved."""
    with read_session() as session:
        try:
            promoter = queries.my_promoter(session, user.id)
        except NotFound:
            promoter = None
        stats = queries.stats(session, user.id) if user.has("promoter") else None
        wallet = wallets.wallet(session, user.id) if stats else None
    return render(request, "promoter/centre.html", {
        "promoter": promoter, "stats": stats, "wallet": wallet, "states": COMMISSION_STATES,
        "invite": request.query_params.get("invite", "")[:16]})


@router.post("/promoter/apply")
def apply(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    services.apply(user_id=user.id, invite_code=text(form, "invite_code", 16) or None)
    return redirect(request, "/promoter")


@router.get("/promoter/wallet")
def wallet_page(request: Request, user: PromoterUser) -> Response:
    with read_session() as session:
        wallet = wallets.wallet(session, user.id)
        withdrawals = payouts.list_payouts(session, account=wallet_account(user.id))
    return render(request, "promoter/wallet.html", {
        "wallet": wallet, "withdrawals": withdrawals, "key": secrets.token_urlsafe(16)})


@router.post("/promoter/withdraw")
def withdraw(request: Request, user: PromoterUser, form: CheckedForm) -> Response:
    """Withdraw the amount typed in yuan (``amount``, e.g. 12.34)."""
    payouts.request_withdrawal(user_id=user.id, amount_fen=_fen(text(form, "amount", 16)),
                               idempotency_key=text(form, "key", 64) or secrets.token_urlsafe(16))
    return redirect(request, "/promoter/wallet")


def _fen(yuan: str) -> int:
    """``"12.34"`` → 1234; anything that is not a plain amount → 0 (refused by the service)."""
    whole, _, cents = yuan.replace("¥", "").strip().partition(".")
    if not whole.isdecimal() or len(whole) > 9 or not (cents == "" or (
            cents.isdecimal() and len(cents) <= 2)):
        return 0
    return int(whole) * 100 + int(cents.ljust(2, "0") or 0)


@router.get("/promoter/shop")
def shop_editor(request: Request, user: PromoterUser) -> Response:
    with read_session() as session:
        try:
            shop = shops.my_shop(session, user.id)
        except NotFound:
            shop = None
    return render(request, "promoter/shop.html", {"shop": shop})


@router.post("/promoter/shop")
def save_shop(request: Request, user: PromoterUser, form: CheckedForm) -> Response:
    shops.save_shop(promoter_user_id=user.id,
                    data=ShopIn(name=text(form, "name", 40) or user.name[:40]))
    raw = text(form, "product_ids", 2000).replace("，", ",")
    chosen = [int(p) for p in raw.split(",") if p.strip().isdecimal() and len(p.strip()) < 11]
    shops.set_items(promoter_user_id=user.id, product_ids=chosen[:200])
    return redirect(request, "/promoter/shop")
