"""The buyer's community buying pages: 选择自提点 (nearest first when the browser shares a
location, or by district and community name without one), 今日团购 (the open batches)
and a batch page with its countdown to the cut-off, a stepper per item and the buy bar.

The chosen point is kept by ``leaders.choose_point`` and changes only when the buyer
chooses another: a list sorted by distance never replaces it. Ordering calls
``ordering.place_batch_order`` (the buyer's chosen point), then opens the payment.
"""

import secrets
from typing import Any

from fastapi import APIRouter, Request, Response

from quanzi.accounts.identity import Identity
from quanzi.community import leaders, lookups, ordering, queries
from quanzi.community.domain import CutOff
from quanzi.community.schemas import BatchOrderCreate, PointOut
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import QuanziError
from quanzi.web.campaigns import kit
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import (
    CheckedForm,
    PageRoute,
    PageUser,
    SignedIn,
    number,
    redirect,
    render,
    text,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)
RADIUS_M = 5000


def _chosen(user: Identity | None) -> PointOut | None:
    if user is None:
        return None
    with read_session() as session:
        return queries.chosen_point(session, user.id)


def local_path(raw: str, default: str = "/community") -> str:
    """A path on this site to go back to (never another site's address)."""
    return raw if raw.startswith("/") and not raw.startswith("//") and len(raw) < 200 \
        else default


@router.get("/community")
def batch_list(request: Request, user: PageUser) -> Response:
    """今日团购: the batches taking orders, soonest cut-off first, with my point."""
    now = clock.now()
    with read_session() as session:
        batches = queries.batches(session, "open")
    return render(request, "community/batches.html", {
        "batches": batches, "chosen": _chosen(user),
        "seconds": {b.id: kit.seconds_until(b.cuts_off_at, now) for b in batches}})


def _coordinate(raw: str, limit: float) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if -limit <= value <= limit else None


@router.get("/community/points")
def points(request: Request, user: PageUser, district: str = "", q: str = "",
           lat: str = "", lng: str = "", next: str = "") -> Response:
    """Find a pickup point: around (lat, lng) when the browser gave them, else by
    district and name (汉字 or pinyin initials)."""
    here = (_coordinate(lat[:20], 90), _coordinate(lng[:20], 180))
    district, q = district.strip()[:20], q.strip()[:40]
    with read_session() as session:
        if here[0] is not None and here[1] is not None:
            found = queries.near(session, here[0], here[1], RADIUS_M)
        else:
            found = queries.points_in(session, district=district or None, q=q or None)
        districts = lookups.districts(session)
    return render(request, "community/points.html", {
        "found": found, "near": here[0] is not None and here[1] is not None,
        "districts": districts, "district": district, "q": q, "chosen": _chosen(user),
        "next": local_path(next)})


@router.post("/community/points/choose")
def choose(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Keep the point as mine (``PUT /me/pickup-point``), then back where I came from."""
    leaders.choose_point(user_id=user.id, point_id=number(form, "pickup_point_id"))
    return redirect(request, local_path(text(form, "next", 200)))


def _batch_page(request: Request, batch_id: int, user: Identity | None,
                error: str | None = None, next_batch: int | None = None,
                status: int = 200) -> Response:
    now = clock.now()
    with kit.lookup() as session:
        batch = queries.get_batch(session, batch_id)
    selling = batch.status in ("scheduled", "open") and now < batch.cuts_off_at
    context: dict[str, Any] = {
        "batch": batch, "chosen": _chosen(user), "error": error, "next_batch": next_batch,
        "selling": selling and now >= batch.opens_at, "upcoming": selling and now < batch.opens_at,
        "seconds": kit.seconds_until(batch.cuts_off_at if now >= batch.opens_at
                                     else batch.opens_at, now),
        "key": secrets.token_urlsafe(16)}
    return render(request, "community/batch.html", context, status_code=status)


@router.get("/community/batches/{batch_id}")
def batch_page(request: Request, batch_id: str, user: PageUser) -> Response:
    return _batch_page(request, kit.ident(batch_id), user)


def _items(form: Any) -> list[dict[str, int]]:
    """The stepper quantities above 0 (``qty_<sku id>``)."""
    wanted = []
    for name in form:
        if name.startswith("qty_") and name[4:].isdecimal() and len(name) < 16:
            quantity = min(max(number(form, name), 0), 99)
            if quantity:
                wanted.append({"sku_id": int(name[4:]), "quantity": quantity})
    return wanted


@router.post("/community/batches/{batch_id}/order")
def order(request: Request, batch_id: str, user: SignedIn, form: CheckedForm) -> Response:
    """立即下单: an order in the batch for collection at my point, then its payment."""
    bid, lang = kit.ident(batch_id), i18n.negotiate(request)
    items = _items(form)
    if not items:
        return _batch_page(request, bid, user, i18n.gettext_for(lang)("请至少选择一件商品"),
                           status=422)
    came = kit.origin(request)
    try:
        placed = ordering.place_batch_order(
            buyer_id=user.id, batch_id=bid, visitor_id=came.visitor_id,
            idempotency_key=text(form, "key", 64) or secrets.token_urlsafe(16),
            data=BatchOrderCreate.model_validate({"items": items,
                                                  "share_code": came.share_code}))
    except CutOff as exc:
        return _batch_page(request, bid, user, refusals.say(exc, lang), exc.next_batch_id, 409)
    except QuanziError as exc:
        return _batch_page(request, bid, user, refusals.say(exc, lang), status=exc.status)
    return kit.pay_for(request, placed, user)
