"""The buyer's flash-sale and group-buy pages: ``/flash/{id}``, ``/group-buys/{id}`` and
``/groups/{id}``, with their buy, open and join forms (each → the sandbox payment page)
and share sheets. Bargains, tiered deals and presales are in ``campaigns_deals``."""

from typing import Any

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying, queries
from quanzi.campaigns import services as campaigns
from quanzi.core import clock, rate_limits
from quanzi.web.campaigns import kit
from quanzi.web.kit.pages import CheckedForm, PageRoute, PageUser, PromoterUser, SignedIn, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


# --- flash sale (秒杀) ----------------------------------------------------------------


def _flash_page(request: Request, sale_id: int, user: Identity | None,
                error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        sale = campaigns.get_flash_sale(session, sale_id)
        goods = queries.goods_of(session, sale.sku_id)
        held = queries.flash_units_held(session, sale_id, user.id) if user else 0
    if sale.status == "not_started":
        countdown = ("距开始", kit.seconds_until(sale.starts_at, now))
    elif sale.status == "ended":
        countdown = None
    else:
        countdown = ("距结束", kit.seconds_until(sale.ends_at, now))
    return render(request, "campaigns/flash.html", {
        "sale": sale, "goods": goods, "held": held,
        "can_buy": max(0, min(sale.per_user_limit - held, sale.stock_left)),
        "percent_left": sale.stock_left * 100 // sale.stock, "countdown": countdown,
        "error": error, **kit.buyer_context(user),
        **kit.share_context(f"/flash/{sale_id}")}, status_code=status)


@router.get("/flash/{sale_id}")
def flash_page(request: Request, sale_id: str, user: PageUser) -> Response:
    return _flash_page(request, kit.ident(sale_id), user)


@router.post("/flash/{sale_id}/buy")
def flash_buy(request: Request, sale_id: str, user: SignedIn, form: CheckedForm) -> Response:
    """Reserve flash stock and create the order (``buying.buy_flash``), then pay."""
    sid = kit.ident(sale_id)

    def action() -> Response:
        rate_limits.check(rate_limits.FLASH_BUY, str(user.id))
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        order = buying.buy_flash(sale_id=sid, user_id=user.id, quantity=buy.quantity,
                                 address=buy.address, share_code=came.share_code,
                                 visitor_id=came.visitor_id, idempotency_key=buy.key)
        return kit.pay_for(request, order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _flash_page(request, sid, user, message, status))


@router.post("/flash/{sale_id}/share")
def flash_share(request: Request, sale_id: str, user: PromoterUser, _: CheckedForm) -> Response:
    sid = kit.ident(sale_id)
    with kit.lookup() as session:
        campaigns.get_flash_sale(session, sid)
    return kit.promoter_share(request, user, "flash_sale", sid)


# --- group buy (拼团) and its groups -------------------------------------------------


def _group_buy_page(request: Request, group_buy_id: int, user: Identity | None,
                    error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        deal = campaigns.get_group_buy(session, group_buy_id)
        goods = queries.goods_of(session, deal.sku_id)
        groups = queries.open_groups(session, group_buy_id, now)
        leaders = {g.id: queries.group_members(session, g.id)[:1] for g in groups}
        faces = kit.avatars(session, [m.user_id for ms in leaders.values() for m in ms])
    open_list = [{"group": g, "seconds": kit.seconds_until(g.expires_at, now),
                  "leader": faces.get(leaders[g.id][0].user_id) if leaders[g.id] else None}
                 for g in groups]
    return render(request, "campaigns/group_buy.html", {
        "deal": deal, "goods": goods, "groups": open_list, "error": error,
        "hours": deal.duration_s // 3600, "minutes": deal.duration_s % 3600 // 60,
        **kit.buyer_context(user), **kit.share_context(f"/group-buys/{group_buy_id}")},
        status_code=status)


@router.get("/group-buys/{group_buy_id}")
def group_buy_page(request: Request, group_buy_id: str, user: PageUser) -> Response:
    return _group_buy_page(request, kit.ident(group_buy_id), user)


@router.post("/group-buys/{group_buy_id}/open")
def open_group(request: Request, group_buy_id: str, user: SignedIn,
               form: CheckedForm) -> Response:
    """开团: the buyer takes the first seat of a new group, then pays for it."""
    gid = kit.ident(group_buy_id)

    def action() -> Response:
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        seat = buying.open_group(group_buy_id=gid, user_id=user.id, address=buy.address,
                                 share_code=came.share_code, visitor_id=came.visitor_id,
                                 idempotency_key=buy.key)
        return kit.pay_for(request, seat.order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _group_buy_page(request, gid, user, message,
                                                               status))


@router.post("/group-buys/{group_buy_id}/share")
def group_buy_share(request: Request, group_buy_id: str, user: PromoterUser,
                    _: CheckedForm) -> Response:
    gid = kit.ident(group_buy_id)
    with kit.lookup() as session:
        campaigns.get_group_buy(session, gid)
    return kit.promoter_share(request, user, "group_buy", gid)


def _group_page(request: Request, group_id: int, user: Identity | None,
                error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        group = campaigns.get_group(session, group_id)
        deal = campaigns.get_group_buy(session, group.group_buy_id)
        goods = queries.goods_of(session, deal.sku_id)
        members = queries.group_members(session, group_id)
        faces = kit.avatars(session, [m.user_id for m in members])
    mine = next((m for m in members if user and m.user_id == user.id), None)
    context: dict[str, Any] = {
        "group": group, "deal": deal, "goods": goods, "mine": mine, "error": error,
        "paid": kit.paid_order(request),
        "members": [(m, faces[m.user_id]) for m in members],
        "seconds": kit.seconds_until(group.expires_at, now) if group.status == "open" else 0,
        **kit.buyer_context(user), **kit.share_context(f"/groups/{group_id}")}
    return render(request, "campaigns/group.html", context, status_code=status)


@router.get("/groups/{group_id}")
def group_page(request: Request, group_id: str, user: PageUser) -> Response:
    return _group_page(request, kit.ident(group_id), user)


@router.post("/groups/{group_id}/join")
def join_group(request: Request, group_id: str, user: SignedIn, form: CheckedForm) -> Response:
    """参团: take a seat in this group, then pay for it."""
    gid = kit.ident(group_id)

    def action() -> Response:
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        seat = buying.join_group(group_id=gid, user_id=user.id, address=buy.address,
                                 share_code=came.share_code, visitor_id=came.visitor_id,
                                 idempotency_key=buy.key)
        return kit.pay_for(request, seat.order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _group_page(request, gid, user, message, status))


@router.post("/groups/{group_id}/share")
def group_share(request: Request, group_id: str, user: PromoterUser, _: CheckedForm) -> Response:
    gid = kit.ident(group_id)
    with kit.lookup() as session:
        campaigns.get_group(session, gid)
    return kit.promoter_share(request, user, "group", gid)
