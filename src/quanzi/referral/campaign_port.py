"""What referral needs to know about campaigns, through the campaigns' read side.

A share of a campaign names it by ``(kind, id)`` (``referral.domain.CAMPAIGN_KINDS``):
the five campaign kinds, plus one buyer's ``group`` (of a group buy) and ``bargain_run``
(of a bargain), shared so that friends join or help. This module turns that pair into a
card (what is sold, at what campaign price), or None when there is no such campaign, so
referral never reads the campaigns' tables itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from quanzi.campaigns import queries as campaigns_read
from quanzi.campaigns import services as campaigns
from quanzi.core.errors import NotFound

__all__ = ["CampaignCard", "campaign_card"]


@dataclass(frozen=True)
class CampaignCard:
    """One campaign as a share or poster shows it.

    ``price_fen`` is what it charges now: the flash, group or presale price, a bargain's
    floor (砍到底价), a bargain run's current price, a tiered deal's current tier.
    ``group_size`` is set for ``group_buy`` and ``group``; ``helps_remaining`` for a
    ``bargain_run`` (the cuts still to come before the floor).
    """

    kind: str
    id: int
    product_id: int
    title: str
    image: str | None
    price_fen: int
    group_size: int | None = None
    helps_remaining: int | None = None


@dataclass(frozen=True)
class _Found:
    sku_id: int
    price_fen: int
    group_size: int | None = None
    helps_remaining: int | None = None


def _flash_sale(session: Session, sale_id: int) -> _Found:
    sale = campaigns.get_flash_sale(session, sale_id)
    return _Found(sale.sku_id, sale.price_fen)


def _group_buy(session: Session, group_buy_id: int) -> _Found:
    group_buy = campaigns.get_group_buy(session, group_buy_id)
    return _Found(group_buy.sku_id, group_buy.price_fen, group_size=group_buy.group_size)


def _group(session: Session, group_id: int) -> _Found:
    group = campaigns.get_group(session, group_id)
    group_buy = campaigns.get_group_buy(session, group.group_buy_id)
    return _Found(group_buy.sku_id, group.price_fen, group_size=group.group_size)


def _bargain(session: Session, bargain_id: int) -> _Found:
    bargain = campaigns_read.get_bargain(session, bargain_id)
    return _Found(bargain.sku_id, bargain.floor_price_fen)


def _bargain_run(session: Session, run_id: int) -> _Found:
    run = campaigns.get_run(session, run_id)
    bargain = campaigns_read.get_bargain(session, run.bargain_id)
    return _Found(bargain.sku_id, run.current_price_fen, helps_remaining=run.helps_remaining)


def _tiered(session: Session, deal_id: int) -> _Found:
    deal = campaigns.get_tiered_deal(session, deal_id)
    return _Found(deal.sku_id, deal.current_price_fen)


def _presale(session: Session, presale_id: int) -> _Found:
    presale = campaigns.get_presale(session, presale_id)
    return _Found(presale.sku_id, presale.price_fen)


_READERS: dict[str, Callable[[Session, int], _Found]] = {
    "flash_sale": _flash_sale, "group_buy": _group_buy, "group": _group,
    "bargain": _bargain, "bargain_run": _bargain_run, "tiered": _tiered,
    "presale": _presale,
}


def campaign_card(session: Session, kind: str, campaign_id: int) -> CampaignCard | None:
    """The card of campaign ``(kind, campaign_id)``, or None for an unknown kind, an
    unknown id, or a campaign whose SKU is gone. Changes nothing.

    Example: ``campaign_card(session, "flash_sale", 7)`` →
    ``CampaignCard(kind="flash_sale", id=7, product_id=3, title="阳光玫瑰葡萄", image=None,
    price_fen=1990)``.
    """
    reader = _READERS.get(kind)
    if reader is None:
        return None
    try:
        found = reader(session, campaign_id)
        goods = campaigns_read.goods_of(session, found.sku_id)
    except NotFound:
        return None
    return CampaignCard(kind=kind, id=campaign_id, product_id=goods.product_id,
                        title=goods.title, image=goods.image,
                        price_fen=found.price_fen, group_size=found.group_size,
                        helps_remaining=found.helps_remaining)
