"""Attribution of an order (归因), called by the orders domain when an order is placed."""

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from quanzi.referral import codes, domain
from quanzi.referral.models import Click, CustomerBinding, Promoter, Share
from quanzi.referral.services import approved_promoter, load_rules


def attribute_order(session: Session, *, buyer_id: int, share_code: str | None,
                    visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
    """The attribution snapshot to store on a new order, or None (the order is placed anyway).

    ``share_code`` comes from the ``qz_share`` cookie or the order request; ``visitor_id``
    from the ``qz_vid`` cookie. Returns ``{"share_code", "share_id", "promoter_id",
    "inviter_id", "policy"}`` where both ids are user ids and ``inviter_id`` is set only
    when level 2 is on now (never for a self-purchase). Unknown, forged or expired codes
    (the visitor's last click on it older than the window), a promoter no longer approved,
    or a self-purchase without the rebate flag give None. Under the binding policy a live
    binding wins, and a new binding is stored (flush) for the promoter credited.
    """
    rules = load_rules(session)
    touch = _touch_for_code(session, share_code, visitor_id, now)
    binding = first = None
    if rules.attribution_policy == "binding":
        binding = _live_binding(session, buyer_id, visitor_id, now)
        if binding is None:
            first = _first_touch(session, visitor_id, buyer_id, now - rules.binding_period)
    credit = domain.credit_order(rules, touch=touch, first_touch=first, binding=binding, now=now)
    if credit is None:
        return None
    promoter_id = credit.touch.promoter_id
    promoter = approved_promoter(session, promoter_id)
    if promoter is None or not domain.self_purchase_allowed(rules, buyer_id=buyer_id,
                                                            promoter_id=promoter_id):
        return None
    is_self = buyer_id == promoter_id
    if credit.bind and not is_self:
        session.add(CustomerBinding(user_id=buyer_id, visitor_id=visitor_id,
                                    promoter_id=promoter_id, share_id=credit.touch.share_id or None,
                                    bound_at=now, expires_at=now + rules.binding_period))
        session.flush()
    return {"share_code": credit.touch.share_code or None,
            "share_id": credit.touch.share_id or None, "promoter_id": promoter_id,
            "inviter_id": _inviter(session, promoter, rules) if not is_self else None,
            "policy": rules.attribution_policy}


def _inviter(session: Session, promoter: Promoter, rules: domain.Rules) -> int | None:
    if not rules.level2_enabled or promoter.inviter_id is None:
        return None
    return promoter.inviter_id if approved_promoter(session, promoter.inviter_id) else None


def _touch_for_code(session: Session, code: str | None, visitor_id: str | None,
                    now: datetime) -> domain.Touch | None:
    """The share behind ``code`` as a touch at the visitor's last click on it (``now`` when no
    click is recorded: an app passing the code it just opened)."""
    if not code or not codes.looks_like_code(code):
        return None
    share = session.scalar(select(Share).where(Share.code == code))
    if share is None:
        return None
    at = None
    if visitor_id:
        at = session.scalar(select(Click.created_at)
                            .where(Click.share_id == share.id, Click.visitor_id == visitor_id,
                                   Click.is_preview.is_(False))
                            .order_by(Click.created_at.desc()).limit(1))
    return domain.Touch(share.id, share.code, share.promoter_id, at or now)


def _live_binding(session: Session, buyer_id: int, visitor_id: str | None,
                  now: datetime) -> domain.Bound | None:
    who = [CustomerBinding.user_id == buyer_id]
    if visitor_id:
        who.append(CustomerBinding.visitor_id == visitor_id)
    row = session.execute(
        select(CustomerBinding, Share.code).outerjoin(Share, Share.id == CustomerBinding.share_id)
        .where(or_(*who), CustomerBinding.expires_at > now)
        .order_by(CustomerBinding.bound_at, CustomerBinding.id).limit(1)
    ).first()
    if row is None:
        return None
    binding, code = row
    return domain.Bound(binding.promoter_id, binding.share_id, code, binding.expires_at)


def _first_touch(session: Session, visitor_id: str | None, buyer_id: int,
                 since: datetime) -> domain.Touch | None:
    """The visitor's earliest click since ``since`` on someone else's share."""
    if not visitor_id:
        return None
    row = session.execute(
        select(Share.id, Share.code, Share.promoter_id, Click.created_at)
        .join(Click, Click.share_id == Share.id)
        .where(Click.visitor_id == visitor_id, Click.is_preview.is_(False),
               Click.created_at >= since, Share.promoter_id != buyer_id)
        .order_by(Click.created_at, Click.id).limit(1)
    ).first()
    return domain.Touch(row[0], row[1], row[2], row[3]) if row else None
