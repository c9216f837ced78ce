"""The tiered-deal page (阶梯团) ``/tiered/{id}`` and the presale page (预售)
``/presales/{id}``, each with its order form (→ the sandbox payment page). A presale's
balance is paid later from the order's page (``web.account``)."""

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying, domain, queries
from quanzi.campaigns import services as campaigns
from quanzi.core import clock
from quanzi.web.campaigns import kit
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    PageUser,
    PromoterUser,
    SignedIn,
    render,
    text,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _tiered_page(request: Request, deal_id: int, user: Identity | None,
                 error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        deal = campaigns.get_tiered_deal(session, deal_id)
        goods = queries.goods_of(session, deal.sku_id)
        joined = queries.in_tiered_deal(session, deal_id, user.id) if user else False
    tiers = [domain.Tier(t.min_participants, t.price_fen) for t in deal.tiers]
    if deal.status == "not_started":
        countdown = ("距开始", kit.seconds_until(deal.starts_at, now))
    elif deal.status == "active":
        countdown = ("距结束", kit.seconds_until(deal.ends_at, now))
    else:
        countdown = None
    return render(request, "campaigns/tiered.html", {
        "deal": deal, "goods": goods, "joined": joined, "error": error,
        "countdown": countdown,
        "join_price_fen": domain.current_tier_price(tiers, deal.participants + 1),
        "people_to_next": (deal.next_tier.min_participants - deal.participants
                           if deal.next_tier else 0),
        **kit.buyer_context(user), **kit.share_context(f"/tiered/{deal_id}")},
        status_code=status)


@router.get("/tiered/{deal_id}")
def tiered_page(request: Request, deal_id: str, user: PageUser) -> Response:
    return _tiered_page(request, kit.ident(deal_id), user)


@router.post("/tiered/{deal_id}/join")
def join_tiered(request: Request, deal_id: str, user: SignedIn, form: CheckedForm) -> Response:
    """参团 at the current tier's price; when the deal closes everyone pays the final tier."""
    did = kit.ident(deal_id)

    def action() -> Response:
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        order = buying.join_tiered(deal_id=did, user_id=user.id, quantity=buy.quantity,
                                   address=buy.address, share_code=came.share_code,
                                   visitor_id=came.visitor_id, idempotency_key=buy.key)
        return kit.pay_for(request, order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _tiered_page(request, did, user, message, status))


def _presale_page(request: Request, presale_id: int, user: Identity | None,
                  error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        presale = campaigns.get_presale(session, presale_id)
        goods = queries.goods_of(session, presale.sku_id)
    deadline = {"not_started": ("距定金开始", presale.deposit_starts_at),
                "deposit": ("距定金截止", presale.deposit_ends_at),
                "waiting_balance": ("距尾款开始", presale.balance_starts_at),
                "balance": ("距尾款截止", presale.balance_ends_at)}.get(presale.phase)
    return render(request, "campaigns/presale.html", {
        "presale": presale, "goods": goods, "error": error,
        "countdown": (deadline[0], kit.seconds_until(deadline[1], now)) if deadline else None,
        **kit.buyer_context(user), **kit.share_context(f"/presales/{presale_id}")},
        status_code=status)


@router.get("/presales/{presale_id}")
def presale_page(request: Request, presale_id: str, user: PageUser) -> Response:
    return _presale_page(request, kit.ident(presale_id), user)


@router.post("/presales/{presale_id}/order")
def order_presale(request: Request, presale_id: str, user: SignedIn,
                  form: CheckedForm) -> Response:
    """付定金: the order (deposit + balance) is created and its deposit paid now, once the
    buyer has ticked that they read the unpaid-balance rule."""
    pid = kit.ident(presale_id)
    if text(form, "rule_ok", 5) != "1":
        return _presale_page(request, pid, user, "请先阅读并确认尾款规则。", 422)

    def action() -> Response:
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        order = buying.order_presale(presale_id=pid, user_id=user.id, quantity=buy.quantity,
                                     address=buy.address, share_code=came.share_code,
                                     visitor_id=came.visitor_id, idempotency_key=buy.key)
        return kit.pay_for(request, order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _presale_page(request, pid, user, message,
                                                             status))


@router.post("/tiered/{deal_id}/share")
def tiered_share(request: Request, deal_id: str, user: PromoterUser, _: CheckedForm) -> Response:
    did = kit.ident(deal_id)
    with kit.lookup() as session:
        campaigns.get_tiered_deal(session, did)
    return kit.promoter_share(request, user, "tiered", did)


@router.post("/presales/{presale_id}/share")
def presale_share(request: Request, presale_id: str, user: PromoterUser,
                  _: CheckedForm) -> Response:
    pid = kit.ident(presale_id)
    with kit.lookup() as session:
        campaigns.get_presale(session, pid)
    return kit.promoter_share(request, user, "presale", pid)
