"""The promoter centre: apply, dashboard (shares with clicks and orders, commissions by
state, team), and the micro-shop editor with its share. The wallet is ``web/promoter/wallet.py``
(leaders have one too), the commission list ``web/promoter/commissions.py``."""

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, InvalidInput, NotFound
from quanzi.referral import picker, queries, services, shares, shops, wallets
from quanzi.referral.schemas import ShopIn
from quanzi.web.kit import i18n
from quanzi.web.kit.form_errors import FieldErrors
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    PromoterUser,
    SignedIn,
    redirect,
    render,
    text,
)
from quanzi.web.kit.refusals import say
from quanzi.web.kit.templating import absolute_url

router = APIRouter(include_in_schema=False, route_class=PageRoute)
COMMISSION_STATES = ("pending", "settled", "reversed", "clawed_back")


@router.get("/promoter")
def centre(request: Request, user: SignedIn) -> Response:
    """Apply when not a promoter yet; the dashboard once approved."""
    return _centre(request, user, invite=request.query_params.get("invite", "")[:16])


def _centre(request: Request, user: Identity, *, invite: str, errors: FieldErrors | None = None,
            status_code: int = 200) -> Response:
    with read_session() as session:
        try:
            promoter = queries.my_promoter(session, user.id)
        except NotFound:
            promoter = None
        stats = queries.stats(session, user.id) if user.has("promoter") else None
        wallet = wallets.wallet(session, user.id) if stats else None
        names = picker.share_names(session, user.id) if stats else {}
    return render(request, "promoter/centre.html", {
        "promoter": promoter, "stats": stats, "wallet": wallet, "states": COMMISSION_STATES,
        "names": names, "invite": invite, "errors": errors or {}}, status_code=status_code)


@router.post("/promoter/apply")
def apply(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Apply; a refused invite code (or a second application) shows the form again with
    the reason under the code, as typed."""
    invite = text(form, "invite_code", 16)
    try:
        services.apply(user_id=user.id, invite_code=invite or None)
    except (InvalidInput, Conflict) as exc:
        return _centre(request, user, invite=invite, status_code=exc.status,
                       errors={"invite_code": say(exc, i18n.negotiate(request))})
    return redirect(request, "/promoter")


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


@router.post("/promoter/shop/share")
def share_shop(request: Request, user: PromoterUser, _: CheckedForm) -> Response:
    """htmx: the promoter's share of the whole micro-shop (``POST /api/v1/shares`` with
    ``shop: true``): link, token and poster, as on product pages; 404 before the shop exists."""
    share = shares.create_share(promoter_user_id=user.id, shop=True)
    return render(request, "catalog/partials/share_sheet.html",
                  {"share": share, "link": absolute_url(share.url)})
