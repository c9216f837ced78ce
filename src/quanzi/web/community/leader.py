"""The leader's centre (/leader): today's batches of my point, 到货, verifying a pickup
(typed, or scanned with the phone camera where the browser has a BarcodeDetector), the
orders and dispatch note of each batch (printable and CSV), my commission, pausing my
point; and 申请成为团长 for anyone signed in."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from quanzi.accounts.identity import Identity
from quanzi.community import leaders, lookups, pickups, queries
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound, QuanziError
from quanzi.referral.queries import my_commissions
from quanzi.web.community import forms
from quanzi.web.community.csv_out import csv_response
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import CheckedForm, PageRoute, SignedIn, redirect, render, role, text

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LeaderUser = Annotated[Identity, Depends(role("leader"))]
ACTIVE = ("open", "cut_off", "dispatched", "arrived")
MAX_ID = 2_147_483_647


def _id(raw: int) -> int:
    if not 1 <= raw <= MAX_ID:
        raise NotFound("没有这一期团购。")
    return raw


def _commission(user_id: int) -> dict[str, int]:
    with read_session() as session:
        rows = my_commissions(session, user_id, kind="leader", limit=500).items
    totals = {"pending": 0, "settled": 0}
    for row in rows:
        if row.status in ("settled", "clawed_back"):
            totals["settled"] += row.net_fen
        elif row.status == "pending":
            totals["pending"] += row.net_fen
    return totals


def _centre(request: Request, user: Identity, *, picked: str | None = None,
            error: str | None = None, code: str = "", status: int = 200) -> Response:
    with read_session() as session:
        points = queries.my_points(session, user.id)
        batches = []
        for batch_id in lookups.leader_batch_ids(session, user.id, ACTIVE):
            orders = queries.leader_orders(session, user, batch_id)
            batches.append((queries.get_batch(session, batch_id), orders))
    return render(request, "community/leader.html", {
        "points": points, "batches": batches, "commission": _commission(user.id),
        "picked": picked, "error": error, "code": code}, status_code=status)


@router.get("/leader")
def centre(request: Request, user: SignedIn) -> Response:
    """My point, batches and pickups once I lead one; my application (or the form) before."""
    if not user.has("leader"):
        return redirect(request, "/leader/apply")
    picked = request.query_params.get("picked", "")
    return _centre(request, user, picked=picked if picked.isdecimal() and len(picked) < 11
                   else None)


@router.post("/leader/pickups")
def verify(request: Request, user: LeaderUser, form: CheckedForm) -> Response:
    """核销: the typed or scanned code completes its order (``pickups.verify``)."""
    code = text(form, "code", 32)
    try:
        done = pickups.verify(leader=user, code=code)
    except QuanziError as exc:
        page = _centre(request, user, error=refusals.say(exc, i18n.negotiate(request)),
                       code=code, status=exc.status)
        if exc.retry_after is not None:
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    return redirect(request, f"/leader?picked={done.id}")


@router.post("/leader/batches/{batch_id}/arrive")
def arrive(request: Request, batch_id: int, user: LeaderUser, _: CheckedForm) -> Response:
    pickups.arrive(leader=user, batch_id=_id(batch_id))
    return redirect(request, f"/leader/batches/{batch_id}")


@router.get("/leader/batches/{batch_id}")
def batch_orders(request: Request, batch_id: int, user: LeaderUser) -> Response:
    """My point's orders in the batch: masked names, phone tails, lines, collected or not."""
    with read_session() as session:
        orders = queries.leader_orders(session, user, _id(batch_id))
        batch = queries.get_batch(session, batch_id)
    return render(request, "community/leader_batch.html", {"batch": batch, "orders": orders})


def _note(user: Identity, batch_id: int) -> tuple[Any, Any]:
    with read_session() as session:
        note = queries.leader_note(session, user, _id(batch_id))
        return queries.get_batch(session, batch_id), note


@router.get("/leader/batches/{batch_id}/note")
def note(request: Request, batch_id: int, user: LeaderUser) -> Response:
    """The dispatch note of my point (派送单), printable."""
    batch, one = _note(user, batch_id)
    return render(request, "community/note.html", {"batch": batch, "notes": [one],
                                                   "csv": f"/leader/batches/{batch_id}/note.csv"})


@router.get("/leader/batches/{batch_id}/note.csv")
def note_csv(batch_id: int, user: LeaderUser) -> Response:
    _, one = _note(user, batch_id)
    return csv_response(f"dispatch-note-{batch_id}.csv",
                        ["序号", "订单号", "买家", "手机尾号", "商品", "规格", "数量"],
                        [[line.position, line.order_id, line.buyer_name, line.phone_tail,
                          line.title, line.spec, line.quantity] for line in one.lines])


@router.post("/leader/points/{point_id}/{action}")
def pause_or_resume(request: Request, point_id: int, action: str, user: LeaderUser,
                    _: CheckedForm) -> Response:
    """暂停接单 / 恢复接单 of my point."""
    move = {"pause": leaders.pause, "resume": leaders.resume}.get(action)
    if move is None:
        raise NotFound("没有这个操作。")
    move(leader_id=user.id, point_id=_id(point_id))
    return redirect(request, "/leader")


def _apply_page(request: Request, user: Identity, *, values: dict[str, str] | None = None,
                problems: forms.Problems | None = None, error: str | None = None,
                status: int = 200) -> Response:
    with read_session() as session:
        mine = queries.my_points(session, user.id)
    return render(request, "community/apply.html", {
        "mine": mine, "values": values or {}, "problems": problems or {}, "error": error},
        status_code=status)


@router.get("/leader/apply")
def apply_page(request: Request, user: SignedIn) -> Response:
    """申请成为团长: free, no purchase; my applications and their state."""
    return _apply_page(request, user)


@router.post("/leader/apply")
def apply(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    values = forms.values_of(form, forms.POINT_FIELDS)
    try:
        leaders.apply(user_id=user.id, point=forms.point(values))
    except ValidationError as exc:
        return _apply_page(request, user, values=values, problems=forms.field_problems(exc),
                           status=422)
    except QuanziError as exc:
        return _apply_page(request, user, values=values, status=exc.status,
                           error=refusals.say(exc, i18n.negotiate(request)))
    return redirect(request, "/leader/apply?applied=1")
