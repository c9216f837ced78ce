"""Campaigns of every kind on one SKU, made through the services, for the listing tests."""

from datetime import datetime, timedelta

from quanzi.accounts.identity import Identity
from quanzi.campaigns import services
from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
    TieredDealCreate,
    TierIn,
)
from quanzi.core import clock
from tests.factories import make_user

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def operator() -> Identity:
    user = make_user("operator")
    return Identity(id=user.id, name=user.name, roles=tuple(user.roles), supplier_id=None)


def one_of_each(by: Identity, sku_id: int, start: datetime | None = None,
                ) -> dict[str, int]:
    """A flash sale, group buy, bargain, tiered deal and presale from ``start`` (default
    now): kind → id. Flash sale and tiered deal end a day later, the presale's deposit
    window too; the group buy and bargain run until stopped."""
    at = start or clock.now()
    return {
        "flash_sale": services.create_flash_sale(by=by, data=FlashSaleCreate(
            sku_id=sku_id, price_fen=990, stock=5, per_user_limit=1, starts_at=at,
            ends_at=at + DAY)).id,
        "group_buy": services.create_group_buy(by=by, data=GroupBuyCreate(
            sku_id=sku_id, price_fen=1090, group_size=3, duration_s=3600, starts_at=at)).id,
        "bargain": services.create_bargain(by=by, data=BargainCreate(
            sku_id=sku_id, start_price_fen=1290, floor_price_fen=590, helps_needed=3,
            duration_s=3600, starts_at=at)).id,
        "tiered": services.create_tiered_deal(by=by, data=TieredDealCreate(
            sku_id=sku_id, starts_at=at, ends_at=at + DAY,
            tiers=[TierIn(min_participants=1, price_fen=1190),
                   TierIn(min_participants=5, price_fen=890)])).id,
        "presale": services.create_presale(by=by, data=PresaleCreate(
            sku_id=sku_id, price_fen=1200, deposit_fen=100, deposit_worth_fen=300,
            deposit_starts_at=at, deposit_ends_at=at + DAY, balance_starts_at=at + DAY,
            balance_ends_at=at + 2 * DAY)).id,
    }
