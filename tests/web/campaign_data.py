"""Campaigns for the page and browser tests, made through the campaign services on a
new supplier's product (¥50.00 list price)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
    TieredDealCreate,
    TierIn,
)
from quanzi.core import clock
from quanzi.orders import paying
from quanzi.payments import services as payments
from tests import backends
from tests.factories import ADDRESS, make_product, make_supplier, make_user

LIST_PRICE = 5000


@pytest.fixture(autouse=True)
def clean_redis() -> Iterator[None]:
    """Flash counters live in Redis by sale id, and ids restart with every test: import
    this fixture into a test module that makes flash sales."""
    from tests.campaigns.conftest import _clear_run_keys

    if backends.REDIS_URL:
        _clear_run_keys()
    yield
    if backends.REDIS_URL:
        _clear_run_keys()


@dataclass(frozen=True)
class Goods:
    staff: Identity
    sku_id: int


def goods(stock: int = 100) -> Goods:
    """An operator and a product on a new supplier's shelf (¥50.00)."""
    supplier = make_supplier()
    (sku_id,) = make_product(supplier, [("1盒", LIST_PRICE, stock)], title="阳光玫瑰葡萄")
    operator = make_user("operator")
    return Goods(Identity(id=operator.id, name=operator.name, roles=("consumer", "operator"),
                          supplier_id=None), sku_id)


def flash(given: Goods, *, stock: int = 3, limit: int = 1,
          starts_in: timedelta = timedelta(minutes=-1)) -> int:
    start = clock.now() + starts_in
    return campaigns.create_flash_sale(by=given.staff, data=FlashSaleCreate(
        sku_id=given.sku_id, price_fen=1990, stock=stock, per_user_limit=limit,
        starts_at=start, ends_at=start + timedelta(hours=2))).id


def group_buy(given: Goods, *, size: int = 3, auto_complete: bool = False) -> int:
    return campaigns.create_group_buy(by=given.staff, data=GroupBuyCreate(
        sku_id=given.sku_id, price_fen=2990, group_size=size, duration_s=24 * 3600,
        auto_complete=auto_complete)).id


def bargain(given: Goods, *, helps: int = 2) -> int:
    return campaigns.create_bargain(by=given.staff, data=BargainCreate(
        sku_id=given.sku_id, start_price_fen=LIST_PRICE, floor_price_fen=1000,
        helps_needed=helps, duration_s=24 * 3600)).id


def tiered(given: Goods) -> int:
    now = clock.now()
    return campaigns.create_tiered_deal(by=given.staff, data=TieredDealCreate(
        sku_id=given.sku_id, tiers=[TierIn(min_participants=1, price_fen=4500),
                                    TierIn(min_participants=3, price_fen=3900),
                                    TierIn(min_participants=10, price_fen=2900)],
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=2))).id


def presale(given: Goods, *, rule: str = "forfeit_deposit") -> int:
    now = clock.now()
    return campaigns.create_presale(by=given.staff, data=PresaleCreate(
        sku_id=given.sku_id, price_fen=4500, deposit_fen=1000, deposit_worth_fen=3000,
        deposit_starts_at=now - timedelta(minutes=1), deposit_ends_at=now + timedelta(days=1),
        balance_starts_at=now + timedelta(days=2), balance_ends_at=now + timedelta(days=3),
        unpaid_balance_rule=rule)).id  # type: ignore[arg-type]


def every_page() -> dict[str, str]:
    """One campaign of each kind, an open group and a bargain run: name → page."""
    given = goods()
    leader = make_user()
    group_buy_id = group_buy(given)
    seat = buying.open_group(group_buy_id=group_buy_id, user_id=leader.id, address=ADDRESS,
                             share_code=None, idempotency_key="open")
    bargain_id = bargain(given)
    run = campaigns.start_bargain(bargain_id=bargain_id, user_id=leader.id)
    return {"flash": f"/flash/{flash(given)}", "group_buy": f"/group-buys/{group_buy_id}",
            "group": f"/groups/{seat.group_id}", "bargain": f"/bargains/{bargain_id}",
            "run": f"/bargain-runs/{run.bargain_run_id}", "tiered": f"/tiered/{tiered(given)}",
            "presale": f"/presales/{presale(given)}"}


def deposit_paid_order(buyer_id: int) -> int:
    """A presale order of ``buyer_id`` with its deposit paid (the balance still due)."""
    presale_id = presale(goods())
    order = buying.order_presale(presale_id=presale_id, user_id=buyer_id, quantity=1,
                                 address=ADDRESS, share_code=None, idempotency_key="deposit")
    intent = paying.start_payment(order_id=order.id, payer_id=buyer_id,
                                  provider_name="sandbox", idempotency_key="deposit")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)
    return int(order.id)
