"""Help-cut-price (砍价): configuration, runs with a committed cut sequence, and helps.

Starting a run fixes its whole cut sequence (``domain.plan_run``: the starter's own first
cut, applied at once, then one cut per friend) and publishes its SHA-256 commitment; the
salt and the sequence are revealed once the run has ended, so anyone can check
``domain.commitment(salt, cuts_fen)``. Helps apply the cuts in order: the n-th cut is the
one whose ``UPDATE … SET helps_done = helps_done + 1 … RETURNING helps_done`` returned n,
so two helps at once never apply the same cut.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.campaigns import domain, quota
from quanzi.campaigns.common import Staff, authorise_sku, refuse
from quanzi.campaigns.models import Bargain, BargainHelp, BargainRun
from quanzi.campaigns.schemas import (
    BargainCreate,
    BargainRead,
    BargainRunRead,
    BargainStarted,
    HelpResult,
)
from quanzi.core import clock, rate_limits
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, Forbidden, NotFound

QUOTA_KIND = "bargain_help"
_rng = random.SystemRandom()


def create_bargain(*, by: Staff, data: BargainCreate) -> BargainRead:
    """Create a bargain on a SKU ``by`` may sell (422 on an impossible configuration)."""
    now = clock.now()
    starts_at = data.starts_at or now
    helps_max = data.helps_needed_max or data.helps_needed
    domain.check_window(starts_at, data.ends_at)
    domain.check_bargain(data.start_price_fen, data.floor_price_fen, data.helps_needed,
                         helps_max)
    domain.check_amounts(get_settings().max_order_fen, start_price_fen=data.start_price_fen)
    with transaction() as session:
        authorise_sku(session, by, data.sku_id, top_price_fen=data.start_price_fen)
        bargain = Bargain(sku_id=data.sku_id, start_price_fen=data.start_price_fen,
                          floor_price_fen=data.floor_price_fen, helps_min=data.helps_needed,
                          helps_max=helps_max, duration_s=data.duration_s,
                          helps_per_user_per_day=data.helps_per_user_per_day,
                          allow_in_wechat=data.allow_in_wechat, starts_at=starts_at,
                          ends_at=data.ends_at, created_by=by.id, created_at=now)
        session.add(bargain)
        session.flush()
        return bargain_read(bargain)


def bargain_read(bargain: Bargain) -> BargainRead:
    return BargainRead(id=bargain.id, sku_id=bargain.sku_id,
                       start_price_fen=bargain.start_price_fen,
                       floor_price_fen=bargain.floor_price_fen, helps_needed=bargain.helps_min,
                       helps_needed_max=bargain.helps_max, duration_s=bargain.duration_s,
                       helps_per_user_per_day=bargain.helps_per_user_per_day,
                       allow_in_wechat=bargain.allow_in_wechat, starts_at=bargain.starts_at,
                       ends_at=bargain.ends_at)


def start_bargain(*, bargain_id: int, user_id: int) -> BargainStarted:
    """Start a run for ``user_id``: draw the helps needed and fix the cut sequence.

    409 ``not_started``/``ended`` outside the window, ``already_started`` while the user
    has a live run of this bargain.
    """
    now = clock.now()
    with transaction() as session:
        bargain = _bargain(session, bargain_id)
        refusal = domain.window_refusal(bargain.starts_at, bargain.ends_at, now)
        if refusal:
            raise refuse(refusal)
        if _live_run(session, bargain_id, user_id, now):
            raise Conflict("你已发起过这个砍价，进行中", code="already_started")
        run = _new_run(bargain, user_id, now)
        session.add(run)
        session.flush()
        return BargainStarted(bargain_run_id=run.id, commitment=run.commitment,
                              current_price_fen=run.current_price_fen,
                              helps_remaining=run.helps_total - run.helps_done,
                              expires_at=run.expires_at)


def _new_run(bargain: Bargain, user_id: int, now: datetime) -> BargainRun:
    helps = _rng.randint(bargain.helps_min, bargain.helps_max)
    plan = domain.plan_run(bargain.start_price_fen - bargain.floor_price_fen, helps, _rng)
    cuts = plan.cuts_fen
    salt = domain.new_salt()
    expires_at = now + timedelta(seconds=bargain.duration_s)
    if bargain.ends_at is not None:
        expires_at = min(expires_at, bargain.ends_at)
    return BargainRun(bargain_id=bargain.id, owner_id=user_id, cuts_fen=cuts, salt=salt,
                      commitment=domain.commitment(salt, cuts), helps_total=len(cuts),
                      helps_done=plan.applied, start_price_fen=bargain.start_price_fen,
                      current_price_fen=domain.price_after(bargain.start_price_fen, cuts,
                                                           plan.applied), status="active",
                      created_at=now, expires_at=expires_at)


def _live_run(session: Session, bargain_id: int, user_id: int, now: datetime) -> bool:
    return session.scalar(select(BargainRun.id).where(
        BargainRun.bargain_id == bargain_id, BargainRun.owner_id == user_id,
        BargainRun.status.in_(("active", "floor_reached")), BargainRun.expires_at > now)
    ) is not None


def help_bargain(*, run_id: int, helper_id: int, in_wechat: bool = False) -> HelpResult:
    """Apply the next cut of the run's sequence on behalf of ``helper_id``.

    403 for the owner (and inside WeChat when the bargain keeps helps out of it); 409
    ``floor_reached`` (nothing left to cut), ``ended`` (expired or bought),
    ``already_helped``, ``limit_reached`` (the helper's daily helps on this bargain,
    China day); 429 past the helper's helps
    allowed by ``QUANZI_RATE_LIMIT_HELP`` (all bargains). A refusal changes nothing.
    """
    rate_limits.check(rate_limits.HELP, str(helper_id))
    now = clock.now()
    try:
        with transaction() as session:
            run = _run(session, run_id)
            bargain = _bargain(session, run.bargain_id)
            _check_help(session, run, bargain, helper_id, in_wechat, now)
            return _apply_next_cut(session, run, helper_id, now)
    except IntegrityError as exc:  # the same helper twice at the same moment
        raise refuse("already_helped") from exc


def _check_help(session: Session, run: BargainRun, bargain: Bargain, helper_id: int,
                in_wechat: bool, now: datetime) -> None:
    if (domain.helps_off(allow_in_wechat=bargain.allow_in_wechat, in_wechat=in_wechat)
            and helper_id != run.owner_id):
        raise Forbidden("微信内不支持助力，请在浏览器中打开", code="help_off_in_wechat")
    ctx = domain.HelpContext(
        status=domain.run_status(run.status, run.expires_at, now),
        is_owner=run.owner_id == helper_id,
        already_helped=session.scalar(select(BargainHelp.id).where(
            BargainHelp.run_id == run.id, BargainHelp.helper_id == helper_id)) is not None)
    refusal = domain.help_refusal(ctx)
    if refusal == "forbidden":
        raise Forbidden("不能给自己砍价", code="own_bargain")
    if refusal:
        raise refuse(refusal)
    day = domain.china_day(now).isoformat()
    if not quota.take(session, QUOTA_KIND, bargain.id, helper_id, 1,
                      bargain.helps_per_user_per_day, period=day):
        raise refuse("limit_reached")


def _apply_next_cut(session: Session, run: BargainRun, helper_id: int,
                    now: datetime) -> HelpResult:
    done = session.execute(
        update(BargainRun)
        .where(BargainRun.id == run.id, BargainRun.status == "active",
               BargainRun.expires_at > now, BargainRun.helps_done < BargainRun.helps_total)
        .values(helps_done=BargainRun.helps_done + 1)
        .returning(BargainRun.helps_done)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if done is None:  # another help or the buy got there first: say which
        session.refresh(run)
        raise refuse(domain.help_refusal(domain.HelpContext(
            status=domain.run_status(run.status, run.expires_at, now), is_owner=False,
            already_helped=False)) or "ended")
    cuts = list(run.cuts_fen)
    price = domain.price_after(run.start_price_fen, cuts, done)
    at_floor = done == run.helps_total
    session.execute(update(BargainRun).where(BargainRun.id == run.id)
                    .values(current_price_fen=price,
                            status="floor_reached" if at_floor else "active",
                            ended_at=now if at_floor else None)
                    .execution_options(synchronize_session=False))
    with session.begin_nested():
        session.add(BargainHelp(run_id=run.id, helper_id=helper_id, seq=done - 1,
                                cut_fen=cuts[done - 1], created_at=now))
    return HelpResult(cut_fen=cuts[done - 1], current_price_fen=price,
                      helps_remaining=run.helps_total - done)


def get_run(session: Session, run_id: int) -> BargainRunRead:
    """The run as anyone may see it; ``salt`` and ``cuts_fen`` only once it has ended."""
    run = _run(session, run_id)
    floor = session.scalar(select(Bargain.floor_price_fen).where(Bargain.id == run.bargain_id))
    status = domain.run_status(run.status, run.expires_at, clock.now())
    ended = status != "active"
    return BargainRunRead(id=run.id, bargain_id=run.bargain_id, owner_id=run.owner_id,
                          status=status,  # type: ignore[arg-type]
                          start_price_fen=run.start_price_fen, floor_price_fen=int(floor or 0),
                          current_price_fen=run.current_price_fen, helps_done=run.helps_done,
                          helps_remaining=run.helps_total - run.helps_done,
                          expires_at=run.expires_at, commitment=run.commitment,
                          salt=run.salt if ended else None,
                          cuts_fen=list(run.cuts_fen) if ended else None)


def claim_run_for_purchase(session: Session, run_id: int, owner_id: int,
                           now: datetime) -> int:
    """Mark the owner's live run ``bought`` (once) and return the price to charge.

    For the bargain buy on the orders side. 403 if not the owner, 409 ``ended`` if the
    run expired or was already bought.
    """
    run = _run(session, run_id)
    if run.owner_id != owner_id:
        raise Forbidden("only the bargain's owner can buy it")
    claimed = session.execute(
        update(BargainRun)
        .where(BargainRun.id == run_id, BargainRun.status.in_(("active", "floor_reached")),
               BargainRun.expires_at > now)
        .values(status="bought", ended_at=now)
        .returning(BargainRun.current_price_fen)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if claimed is None:
        raise refuse("ended")
    return int(claimed)


def expire_runs(*, now: datetime | None = None) -> int:
    """End runs past their expiry (a job; safe to run twice at once). Returns how many."""
    now = now or clock.now()
    with transaction() as session:
        return changed_rows(
            session,
            update(BargainRun)
            .where(BargainRun.status == "active", BargainRun.expires_at <= now)
            .values(status="expired", ended_at=now)
            .execution_options(synchronize_session=False)
        )


def _bargain(session: Session, bargain_id: int) -> Bargain:
    bargain = session.get(Bargain, bargain_id)
    if bargain is None:
        raise NotFound("no such bargain")
    return bargain


def _run(session: Session, run_id: int) -> BargainRun:
    run = session.get(BargainRun, run_id)
    if run is None:
        raise NotFound("no such bargain run")
    return run
