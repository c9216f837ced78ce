"""Use cases of shares: create a share, find its target, resolve a pasted token."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.core.errors import Forbidden, InvalidInput, NotFound
from quanzi.referral import clicks, codes, domain
from quanzi.referral.campaign_port import campaign_card
from quanzi.referral.catalog_port import product_card
from quanzi.referral.models import Share, Shop
from quanzi.referral.schemas import ResolveOut, ShareOut
from quanzi.referral.services import approved_promoter


def share_out(code: str) -> ShareOut:
    return ShareOut(code=code, url=f"/s/{code}", token=codes.token_for(code),
                    poster_url=f"/api/v1/shares/{code}/poster.png")


def create_share(*, promoter_user_id: int, product_id: int | None = None, shop: bool = False,
                 campaign_kind: str | None = None, campaign_id: int | None = None) -> ShareOut:
    """The promoter's share of one target (the same share again if it exists).

    403 unless an approved promoter; 404 for a product unknown or not on sale, no shop
    yet, or a campaign that does not exist (``unknown_campaign``); 422 for an unknown
    campaign kind. A refusal creates no share.
    """
    with transaction() as session:
        if approved_promoter(session, promoter_user_id) is None:
            raise Forbidden("only approved promoters can share")
        kind, target_id, ckind = _target(session, promoter_user_id, product_id, shop,
                                         campaign_kind, campaign_id)
        return share_out(ensure_share(session, promoter_user_id, kind, target_id, ckind).code)


def _target(session: Session, user_id: int, product_id: int | None, shop: bool,
            campaign_kind: str | None, campaign_id: int | None) -> tuple[str, int, str]:
    if product_id is not None:
        if product_card(session, product_id) is None:
            raise NotFound("no such product on sale")
        return "product", product_id, ""
    if shop:
        shop_id = session.scalar(select(Shop.id).where(Shop.promoter_id == user_id))
        if shop_id is None:
            raise NotFound("open your shop first (PUT /api/v1/me/shop)")
        return "shop", shop_id, ""
    if campaign_kind not in domain.CAMPAIGN_KINDS or campaign_id is None:
        raise InvalidInput(f"campaign_kind must be one of {', '.join(domain.CAMPAIGN_KINDS)}")
    if campaign_card(session, campaign_kind, campaign_id) is None:
        raise NotFound("no such campaign", code="unknown_campaign")
    return "campaign", campaign_id, campaign_kind


def ensure_share(session: Session, promoter_id: int, kind: str, target_id: int,
                 campaign_kind: str = "") -> Share:
    """Get or create (flushes) the share of one promoter and target, with a fresh random code."""
    query = select(Share).where(Share.promoter_id == promoter_id, Share.target_kind == kind,
                                Share.campaign_kind == campaign_kind, Share.target_id == target_id)
    existing = session.scalar(query)
    if existing is not None:
        return existing
    share = Share(code=codes.new_share_code(), promoter_id=promoter_id, target_kind=kind,
                  target_id=target_id, campaign_kind=campaign_kind, created_at=clock.now())
    try:
        with session.begin_nested():
            session.add(share)
    except IntegrityError:  # a concurrent request created it first
        found = session.scalar(query)
        if found is None:
            raise
        return found
    return share


@dataclass(frozen=True)
class Target:
    share_id: int
    promoter_id: int
    url: str


def target_of(session: Session, code: str) -> Target | None:
    """Where a share leads, or None for an unknown or malformed code."""
    if not codes.looks_like_code(code):
        return None
    share = session.scalar(select(Share).where(Share.code == code))
    if share is None:
        return None
    shop_code = None
    if share.target_kind == "shop":
        shop_code = session.scalar(select(Shop.code).where(Shop.id == share.target_id))
    url = domain.target_path(share.target_kind, share.target_id, shop_code=shop_code,
                             campaign_kind=share.campaign_kind)
    return Target(share.id, share.promoter_id, url)


def lookup(code: str) -> Target | None:
    """``target_of`` in its own read session (the redirect's cache miss)."""
    with read_session() as session:
        return target_of(session, code)


def resolve(*, text: str, visitor_id: str | None = None, user_agent: str = "",
            referrer: str | None = None, ip: str | None = None) -> ResolveOut:
    """Find the share in pasted text (``￥code￥``, ``¥``/``$`` marks, or a ``/s/`` link) and
    record a click on channel ``token``. 404 when there is no code or it is unknown."""
    code = codes.extract_code(text)
    if code is None:
        raise NotFound("no share code found in the text", code="no_share_code")
    target = lookup(code)
    if target is None:
        raise NotFound("this share code does not exist", code="unknown_share")
    clicks.buffer.add(clicks.click_row(
        share_id=target.share_id, visitor_id=visitor_id, channel="token", referrer=referrer,
        ip=ip, user_agent=user_agent, is_preview=False, at=clock.now()))
    return ResolveOut(code=code, target_url=target.url)
