"""Reads of referral: promoter lists and the promoter dashboard."""

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from quanzi.accounts.services import get_user
from quanzi.core.errors import NotFound
from quanzi.referral.models import Click, Commission, Promoter, Share
from quanzi.referral.schemas import (
    CommissionOut,
    CommissionPage,
    PromoterOut,
    ShareStats,
    StatsOut,
    TeamMember,
)
from quanzi.referral.services import promoter_out

_NET = Commission.amount_fen - Commission.reversed_fen - Commission.clawed_back_fen


def list_promoters(session: Session, status: str | None = None,
                   limit: int = 200) -> list[PromoterOut]:
    query = select(Promoter).order_by(Promoter.id).limit(limit)
    if status is not None:
        query = query.where(Promoter.status == status)
    return [promoter_out(p) for p in session.scalars(query)]


def my_promoter(session: Session, user_id: int) -> PromoterOut:
    promoter = session.scalar(select(Promoter).where(Promoter.user_id == user_id))
    if promoter is None:
        raise NotFound("you have not applied to be a promoter", code="not_a_promoter")
    return promoter_out(promoter)


def _click_counts(session: Session, user_id: int) -> dict[int, tuple[int, int, int]]:
    """share id → (clicks, previews, distinct visitors)."""
    rows = session.execute(
        select(Click.share_id,
               func.sum(case((Click.is_preview.is_(False), 1), else_=0)),
               func.sum(case((Click.is_preview.is_(True), 1), else_=0)),
               func.count(distinct(Click.visitor_id)))
        .join(Share, Share.id == Click.share_id).where(Share.promoter_id == user_id)
        .group_by(Click.share_id))
    return {sid: (int(c or 0), int(p or 0), int(v or 0)) for sid, c, p, v in rows}


def _sales(session: Session, user_id: int) -> dict[int | None, tuple[int, int, int]]:
    """share id → (orders, GMV, level-1 commission net) of the promoter's own sales."""
    rows = session.execute(
        select(Commission.share_id, func.count(distinct(Commission.order_id)),
               func.sum(Commission.line_amount_fen), func.sum(_NET))
        .where(Commission.beneficiary_id == user_id, Commission.level == 1,
               Commission.kind == "promoter")
        .group_by(Commission.share_id))
    return {sid: (int(o), int(g or 0), int(n or 0)) for sid, o, g, n in rows}


def _by_state(session: Session, user_id: int) -> dict[str, int]:
    pending, settled, reversed_, clawed = session.execute(
        select(func.sum(case((Commission.status == "pending", _NET), else_=0)),
               func.sum(case((Commission.status.in_(["settled", "clawed_back"]), _NET), else_=0)),
               func.sum(Commission.reversed_fen), func.sum(Commission.clawed_back_fen))
        .where(Commission.beneficiary_id == user_id)).one()
    return {"pending": int(pending or 0), "settled": int(settled or 0),
            "reversed": int(reversed_ or 0), "clawed_back": int(clawed or 0)}


def _team(session: Session, user_id: int) -> list[TeamMember]:
    members = []
    for invitee in session.scalars(select(Promoter).where(Promoter.inviter_id == user_id)
                                   .order_by(Promoter.id)):
        orders, gmv = session.execute(
            select(func.count(distinct(Commission.order_id)), func.sum(Commission.line_amount_fen))
            .where(Commission.beneficiary_id == invitee.user_id, Commission.level == 1,
                   Commission.kind == "promoter")).one()
        mine = session.scalar(select(func.sum(_NET)).where(
            Commission.beneficiary_id == user_id, Commission.level == 2,
            Commission.source_promoter_id == invitee.user_id))
        members.append(TeamMember(user_id=invitee.user_id, name=get_user(session, invitee.user_id)
                                  .name, status=invitee.status, orders=int(orders or 0),
                                  gmv_fen=int(gmv or 0), my_commission_fen=int(mine or 0)))
    return members


def stats(session: Session, user_id: int) -> StatsOut:
    """The promoter dashboard: clicks, orders, GMV, commissions by state, per share, team."""
    clicks, sales = _click_counts(session, user_id), _sales(session, user_id)
    visitors = session.scalar(
        select(func.count(distinct(Click.visitor_id))).join(Share, Share.id == Click.share_id)
        .where(Share.promoter_id == user_id, Click.is_preview.is_(False))) or 0
    orders = session.scalar(select(func.count(distinct(Commission.order_id))).where(
        Commission.beneficiary_id == user_id, Commission.level == 1,
        Commission.kind == "promoter")) or 0
    per_share = [ShareStats(code=s.code, target_kind=s.target_kind, target_id=s.target_id,
                            clicks=clicks.get(s.id, (0, 0, 0))[0],
                            orders=sales.get(s.id, (0, 0, 0))[0],
                            gmv_fen=sales.get(s.id, (0, 0, 0))[1],
                            commission_fen=sales.get(s.id, (0, 0, 0))[2])
                 for s in session.scalars(select(Share).where(Share.promoter_id == user_id)
                                          .order_by(Share.id))]
    return StatsOut(clicks=sum(c[0] for c in clicks.values()),
                    previews=sum(c[1] for c in clicks.values()), visitors=int(visitors),
                    orders=int(orders), gmv_fen=sum(s[1] for s in sales.values()),
                    commissions_fen=_by_state(session, user_id), shares=per_share,
                    team=_team(session, user_id))


def pending_commission_fen(session: Session, user_id: int) -> int:
    """Commission accrued for ``user_id`` and not yet settled (net of reversals)."""
    total = session.scalar(
        select(func.coalesce(func.sum(_NET), 0))
        .where(Commission.beneficiary_id == user_id, Commission.status == "pending"))
    return int(total or 0)


def my_commissions(session: Session, user_id: int, *, status: str | None = None,
                   kind: str | None = None, before_id: int | None = None,
                   limit: int = 50) -> CommissionPage:
    """The user's commissions, newest first (``amount_fen`` as accrued, ``net_fen`` after
    refunds); ``next_cursor`` is the id to pass as ``cursor`` for the next page."""
    query = (select(Commission).where(Commission.beneficiary_id == user_id)
             .order_by(Commission.id.desc()).limit(limit + 1))
    if status:
        query = query.where(Commission.status == status)
    if kind:
        query = query.where(Commission.kind == kind)
    if before_id:
        query = query.where(Commission.id < before_id)
    rows = list(session.scalars(query))
    page = rows[:limit]
    return CommissionPage(
        items=[CommissionOut(id=c.id, order_id=c.order_id, order_line_id=c.order_line_id,
                             level=c.level, kind=c.kind, rate_bp=c.rate_bp, amount_fen=c.amount_fen,
                             net_fen=c.net_fen, status=c.status, created_at=c.created_at,
                             settled_at=c.settled_at) for c in page],
        next_cursor=str(page[-1].id) if len(rows) > limit else None)
