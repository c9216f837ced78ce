"""Demo campaigns: one live campaign of each kind on the demo shop's products.

``load_demo_campaigns(by=operator, supplier_id=…)`` runs after the demo catalog
(``catalog.demo``, whose 绿源生鲜 products it uses) and the demo operator exist. It is
safe to run any number of times: a kind is created only when its product has no live
campaign of that kind, so a second run creates nothing, and a run after the demo's
windows have passed brings each kind back to life.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from quanzi.campaigns import listing, services
from quanzi.campaigns.common import Staff
from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
    TieredDealCreate,
    TierIn,
)
from quanzi.catalog import queries as catalog
from quanzi.catalog.queries import ProductFilter
from quanzi.core import clock
from quanzi.core.db import read_session

DAY = timedelta(days=1)
# kind → (demo product title, SKU spec) of the 绿源生鲜 demo supplier (catalog.demo.DEMO)
TARGETS = {
    "flash_sale": ("阳澄湖大闸蟹 公4两母3两", "4只装"),
    "group_buy": ("赣南脐橙", "2.5kg"),
    "bargain": ("五常大米 稻花香", "5kg"),
    "tiered": ("烟台红富士苹果", "3kg"),
    "presale": ("内蒙古羔羊肉卷", "1kg"),
}


@dataclass(frozen=True)
class CampaignsSummary:
    created: int  # campaigns made by this run
    live: int     # demo kinds with a live campaign now (5 after a run)


def _terms(kind: str, sku_id: int, now: datetime) -> BaseModel:
    """The demo terms of ``kind`` on ``sku_id``: all live from ``now`` on."""
    if kind == "flash_sale":
        return FlashSaleCreate(sku_id=sku_id, price_fen=12800, stock=10, per_user_limit=1,
                               starts_at=now, ends_at=now + 7 * DAY)
    if kind == "group_buy":
        return GroupBuyCreate(sku_id=sku_id, price_fen=1990, group_size=3,
                              duration_s=24 * 3600, per_user_limit=2, starts_at=now)
    if kind == "bargain":
        return BargainCreate(sku_id=sku_id, start_price_fen=6990, floor_price_fen=3990,
                             helps_needed=3, helps_needed_max=5, duration_s=24 * 3600,
                             helps_per_user_per_day=3, starts_at=now)
    if kind == "tiered":
        return TieredDealCreate(sku_id=sku_id, starts_at=now, ends_at=now + 7 * DAY, tiers=[
            TierIn(min_participants=1, price_fen=2390),
            TierIn(min_participants=5, price_fen=1990),
            TierIn(min_participants=10, price_fen=1690)])
    return PresaleCreate(sku_id=sku_id, price_fen=6900, deposit_fen=1000,
                         deposit_worth_fen=2000, deposit_starts_at=now,
                         deposit_ends_at=now + 5 * DAY, balance_starts_at=now + 5 * DAY,
                         balance_ends_at=now + 8 * DAY,
                         unpaid_balance_rule="forfeit_deposit")


CREATE: dict[str, Callable[..., Any]] = {
    "flash_sale": services.create_flash_sale, "group_buy": services.create_group_buy,
    "bargain": services.create_bargain, "tiered": services.create_tiered_deal,
    "presale": services.create_presale}


def _demo_skus(supplier_id: int) -> dict[str, int]:
    """kind → the SKU id it runs on (kinds whose product is missing are left out)."""
    wanted = {target: kind for kind, target in TARGETS.items()}
    with read_session() as session:
        products = catalog.list_products(session, ProductFilter(supplier_id=supplier_id),
                                          limit=100).items
    return {wanted[(p.title, sku.spec)]: sku.id for p in products for sku in p.skus
            if (p.title, sku.spec) in wanted}


def _live_kinds(supplier_id: int) -> set[str]:
    with read_session() as session:
        items = listing.list_campaigns(session, listing.CampaignFilter(
            status="live", supplier_id=supplier_id), now=clock.now(), limit=listing.MAX_LIMIT)
    return {item.kind for item in items if (item.title, item.spec) == TARGETS[item.kind]}


def load_demo_campaigns(*, by: Staff, supplier_id: int) -> CampaignsSummary:
    """Create the demo campaigns that are not live now, each through its service."""
    skus = _demo_skus(supplier_id)
    live = _live_kinds(supplier_id)
    created = 0
    for kind, sku_id in skus.items():
        if kind not in live:
            CREATE[kind](by=by, data=_terms(kind, sku_id, clock.now()))
            created += 1
    return CampaignsSummary(created=created, live=len(_live_kinds(supplier_id)))
