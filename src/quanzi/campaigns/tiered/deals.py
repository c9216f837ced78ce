"""Tiered group prices (阶梯团): configuration and reads.

Joining (an order at the current tier price) and closing (everyone charged the final
tier, the difference refunded) are wired on the orders side with ``domain.refund_due``.
"""

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from quanzi.campaigns import domain
from quanzi.campaigns.common import Staff, authorise_sku
from quanzi.campaigns.models import TieredDeal
from quanzi.campaigns.schemas import TieredDealCreate, TieredDealRead, TierOut
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.core.errors import NotFound


def create_tiered_deal(*, by: Staff, data: TieredDealCreate) -> TieredDealRead:
    """Create a deal; 422 unless tiers start at 1, thresholds rise and prices fall."""
    domain.check_window(data.starts_at, data.ends_at)
    tiers = domain.validate_tiers([domain.Tier(t.min_participants, t.price_fen)
                                   for t in data.tiers])
    domain.check_amounts(get_settings().max_order_fen, price_fen=tiers[0].price_fen)
    now = clock.now()
    with transaction() as session:
        authorise_sku(session, by, data.sku_id,
                      top_price_fen=max(t.price_fen for t in tiers))
        deal = TieredDeal(sku_id=data.sku_id,
                          tiers=[{"min_participants": t.min_participants,
                                  "price_fen": t.price_fen} for t in tiers],
                          starts_at=data.starts_at, ends_at=data.ends_at, participants=0,
                          status="open", created_by=by.id, created_at=now)
        session.add(deal)
        session.flush()
        return deal_read(deal, now)


def tiers_of(deal: TieredDeal) -> list[domain.Tier]:
    return [domain.Tier(int(t["min_participants"]), int(t["price_fen"])) for t in deal.tiers]


def get_tiered_deal(session: Session, deal_id: int) -> TieredDealRead:
    deal = session.get(TieredDeal, deal_id)
    if deal is None:
        raise NotFound("no such tiered deal")
    return deal_read(deal, clock.now())


def deal_read(deal: TieredDeal, now: datetime) -> TieredDealRead:
    tiers = tiers_of(deal)
    upcoming = domain.next_tier(tiers, deal.participants)
    status: Literal["not_started", "active", "ended", "closed"] = "closed"
    if deal.status != "closed":
        status = domain.window_refusal(deal.starts_at, deal.ends_at, now) or "active"
    return TieredDealRead(
        id=deal.id, sku_id=deal.sku_id,
        tiers=[TierOut(min_participants=t.min_participants, price_fen=t.price_fen)
               for t in tiers],
        starts_at=deal.starts_at, ends_at=deal.ends_at, participants=deal.participants,
        current_price_fen=domain.current_tier_price(tiers, deal.participants),
        next_tier=TierOut(min_participants=upcoming.min_participants,
                          price_fen=upcoming.price_fen) if upcoming else None,
        status=status, final_price_fen=deal.final_price_fen)
