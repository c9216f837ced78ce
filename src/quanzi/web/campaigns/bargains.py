"""The help-cut-price pages (砍价): ``/bargains/{id}`` to start a run, and
``/bargain-runs/{id}`` where friends help, the owner buys, and the committed cut
sequence is shown (its hash from the start, the salt and the cuts once ended).

Where the bargain keeps helps out of WeChat and the page is opened inside it, the run's
page shows neither 帮砍一刀 nor 邀请好友帮砍 but says why, and how to open it in a
browser; the help itself is refused there too (403 ``help_off_in_wechat``)."""

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying, domain, queries
from quanzi.campaigns import services as campaigns
from quanzi.core import clock
from quanzi.core.errors import Conflict
from quanzi.web.campaigns import kit
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    PageUser,
    PromoterUser,
    SignedIn,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _bargain_page(request: Request, bargain_id: int, user: Identity | None,
                  error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        bargain = queries.get_bargain(session, bargain_id)
        goods = queries.goods_of(session, bargain.sku_id)
        live_run = queries.live_run_of(session, bargain_id, user.id, now) if user else None
    return render(request, "campaigns/bargain.html", {
        "bargain": bargain, "goods": goods, "live_run": live_run, "error": error,
        "refusal": domain.window_refusal(bargain.starts_at, bargain.ends_at, now),
        "hours": bargain.duration_s // 3600, **kit.share_context(f"/bargains/{bargain_id}")},
        status_code=status)


@router.get("/bargains/{bargain_id}")
def bargain_page(request: Request, bargain_id: str, user: PageUser) -> Response:
    return _bargain_page(request, kit.ident(bargain_id), user)


@router.post("/bargains/{bargain_id}/start")
def start(request: Request, bargain_id: str, user: SignedIn, _: CheckedForm) -> Response:
    """发起砍价: a new run (its cut sequence fixed and committed), or the live one."""
    bid = kit.ident(bargain_id)
    try:
        started = campaigns.start_bargain(bargain_id=bid, user_id=user.id)
    except Conflict as exc:
        with kit.lookup() as session:
            live = queries.live_run_of(session, bid, user.id, clock.now())
        if exc.code == "already_started" and live is not None:
            return redirect(request, f"/bargain-runs/{live}")
        return _bargain_page(request, bid, user, kit.message_of(exc), exc.status)
    return redirect(request, f"/bargain-runs/{started.bargain_run_id}")


def _run_page(request: Request, run_id: int, user: Identity | None,
              error: str | None = None, status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        run = campaigns.get_run(session, run_id)
        bargain = queries.get_bargain(session, run.bargain_id)
        goods = queries.goods_of(session, bargain.sku_id)
        helps = queries.bargain_helps(session, run_id)
        my_cut = queries.help_of(session, run_id, user.id) if user else None
        starter_cut = queries.starter_cut(session, run_id)
        faces = kit.avatars(session, [run.owner_id, *(h.helper_id for h in helps)])
    span = run.start_price_fen - run.floor_price_fen
    # a live run is shared so friends help; a bought or ended one invites them to their own
    shared = (f"/bargain-runs/{run_id}" if run.status == "active"
              else f"/bargains/{run.bargain_id}")
    return render(request, "campaigns/bargain_run.html", {
        "run": run, "bargain": bargain, "goods": goods, "error": error,
        "helps_off": domain.helps_off(allow_in_wechat=bargain.allow_in_wechat,
                                      in_wechat=kit.in_wechat(request)),
        "helps": [(h, faces[h.helper_id]) for h in helps], "owner": faces[run.owner_id],
        "is_owner": user is not None and user.id == run.owner_id, "my_cut": my_cut,
        "cut_fen": run.start_price_fen - run.current_price_fen,
        "percent": (run.start_price_fen - run.current_price_fen) * 100 // span if span else 100,
        "seconds": kit.seconds_until(run.expires_at, now)
        if run.status in ("active", "floor_reached") else 0,
        "preimage": f"{run.salt}:{','.join(map(str, run.cuts_fen))}"
        if run.salt and run.cuts_fen is not None else "",
        "paid": kit.paid_order(request), "starter_cut_fen": starter_cut,
        **kit.buyer_context(user), **kit.share_context(shared)},
        status_code=status)


@router.get("/bargain-runs/{run_id}")
def run_page(request: Request, run_id: str, user: PageUser) -> Response:
    return _run_page(request, kit.ident(run_id), user)


@router.post("/bargain-runs/{run_id}/help")
def help_run(request: Request, run_id: str, user: SignedIn, _: CheckedForm) -> Response:
    """帮砍一刀: apply the next committed cut for this friend (refusals shown on the page)."""
    rid = kit.ident(run_id)

    def action() -> Response:
        campaigns.help_bargain(run_id=rid, helper_id=user.id, in_wechat=kit.in_wechat(request))
        return redirect(request, f"/bargain-runs/{rid}")

    return kit.attempt(request, action,
                       lambda message, status: _run_page(request, rid, user, message, status))


@router.post("/bargain-runs/{run_id}/buy")
def buy_run(request: Request, run_id: str, user: SignedIn, form: CheckedForm) -> Response:
    """立即购买: the owner buys at the current price, then pays."""
    rid = kit.ident(run_id)

    def action() -> Response:
        buy, came = kit.buy_form(form, user.id), kit.origin(request)
        order = buying.buy_bargain(run_id=rid, user_id=user.id, address=buy.address,
                                   share_code=came.share_code, visitor_id=came.visitor_id,
                                   idempotency_key=buy.key)
        return kit.pay_for(request, order, user, buy)

    return kit.attempt(request, action,
                       lambda message, status: _run_page(request, rid, user, message, status))


@router.post("/bargain-runs/{run_id}/share")
def run_share(request: Request, run_id: str, user: PromoterUser, _: CheckedForm) -> Response:
    rid = kit.ident(run_id)
    with kit.lookup() as session:
        campaigns.get_run(session, rid)
    return kit.promoter_share(request, user, "bargain_run", rid)


@router.post("/bargains/{bargain_id}/share")
def bargain_share(request: Request, bargain_id: str, user: PromoterUser,
                  _: CheckedForm) -> Response:
    bid = kit.ident(bargain_id)
    with kit.lookup() as session:
        queries.get_bargain(session, bid)
    return kit.promoter_share(request, user, "bargain", bid)
