"""The flash-sale stock counter, on the database and on Redis, alone and under contention."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.accounts.identity import Identity
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import DatabaseCounter, Outcome, RedisCounter
from quanzi.campaigns.models import CampaignQuota, FlashReservation, FlashSale
from quanzi.campaigns.schemas import FlashSaleCreate
from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from tests import backends
from tests.campaigns.helpers import bulk_users, run_concurrently, signed_in, sku_of_new_supplier


def _sale(stock: int, per_user_limit: int = 1) -> int:
    operator_id, _ = signed_in("operator")
    _, sku_id = sku_of_new_supplier()
    start = clock.now() - timedelta(minutes=1)
    staff = Identity(id=operator_id, name="运营", roles=("operator",), supplier_id=None)
    sale = flash_sales.create_flash_sale(by=staff, data=FlashSaleCreate(
        sku_id=sku_id, price_fen=990, stock=stock, per_user_limit=per_user_limit,
        starts_at=start, ends_at=start + timedelta(hours=1)))
    return sale.id


def _sold(sale_id: int) -> int:
    with read_session() as session:
        return session.scalar(select(FlashSale.sold).where(FlashSale.id == sale_id))


def _held(sale_id: int) -> dict[int, int]:
    with read_session() as session:
        rows = session.execute(select(CampaignQuota.user_id, CampaignQuota.used).where(
            CampaignQuota.kind == "flash", CampaignQuota.campaign_id == sale_id)).all()
    return {user_id: used for user_id, used in rows if used}


@pytest.fixture(params=["database", "redis"])
def counter(request):  # type: ignore[no-untyped-def]
    if request.param == "database":
        yield DatabaseCounter()
        return
    backends.require_redis()
    import redis

    client = redis.Redis.from_url(backends.REDIS_URL)
    prefix = f"quanzi-test-{backends.RUN_ID}:{request.node.name}:"
    yield RedisCounter(client, prefix)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_reserve_takes_stock_and_counts_per_user(counter):
    sale_id = _sale(stock=3, per_user_limit=2)
    alice, bob = bulk_users(2)

    assert counter.reserve(sale_id, alice, 2, 2) is Outcome.OK
    assert counter.reserve(sale_id, alice, 1, 2) is Outcome.LIMIT_REACHED
    assert counter.reserve(sale_id, bob, 2, 2) is Outcome.SOLD_OUT
    assert counter.reserve(sale_id, bob, 1, 2) is Outcome.OK
    assert counter.reserve(sale_id, bob, 1, 2) is Outcome.SOLD_OUT
    assert counter.stock_left(sale_id) == 0


def test_release_gives_units_back_once_and_never_more_than_held(counter):
    sale_id = _sale(stock=2)
    alice, bob = bulk_users(2)
    assert counter.reserve(sale_id, alice, 1, 1) is Outcome.OK

    counter.release(sale_id, alice, 1)
    counter.release(sale_id, alice, 1)  # a second release has nothing to give back
    counter.release(sale_id, bob, 1)  # bob never held anything

    assert counter.stock_left(sale_id) == 2
    assert counter.reserve(sale_id, alice, 1, 1) is Outcome.OK


def test_database_counter_refusals_change_nothing():
    counter = DatabaseCounter()
    sale_id = _sale(stock=3)
    alice, bob = bulk_users(2)
    assert counter.reserve(sale_id, alice, 1, 1) is Outcome.OK

    assert counter.reserve(sale_id, alice, 1, 1) is Outcome.LIMIT_REACHED
    assert counter.reserve(sale_id, bob, 2, 1) is Outcome.LIMIT_REACHED
    assert counter.reserve(sale_id, bob, 3, 3) is Outcome.SOLD_OUT
    with transaction() as session:  # past the cheap read: the conditional update says no
        assert counter.reserve_in(session, sale_id, bob, 3, 3) is Outcome.SOLD_OUT

    assert _sold(sale_id) == 1
    assert _held(sale_id) == {alice: 1}


def test_reconcile_rebuilds_from_live_reservations(counter):
    sale_id = _sale(stock=10, per_user_limit=3)
    alice, bob, carol = bulk_users(3)
    for user in (alice, bob, carol):
        assert counter.reserve(sale_id, user, 2, 3) is Outcome.OK
    now = clock.now()
    with transaction() as session:  # alice's and bob's were recorded; carol's order failed
        for user, status in ((alice, "paid"), (bob, "reserved")):
            reservation = flash_sales.record_reservation(
                session, sale_id=sale_id, user_id=user, quantity=2, order_id=None, now=now)
            reservation.status = status

    assert counter.reconcile(sale_id) == 6
    assert counter.stock_left(sale_id) == 6
    assert _sold(sale_id) == 4
    assert counter.reserve(sale_id, carol, 3, 3) is Outcome.OK
    assert counter.reserve(sale_id, alice, 2, 3) is Outcome.LIMIT_REACHED


def test_redis_counter_loads_from_the_database_on_first_use():
    backends.require_redis()
    import redis

    client = redis.Redis.from_url(backends.REDIS_URL)
    counter = RedisCounter(client, f"quanzi-test-{backends.RUN_ID}:load:")
    sale_id = _sale(stock=5)
    alice, bob = bulk_users(2)
    with transaction() as session:
        flash_sales.record_reservation(session, sale_id=sale_id, user_id=alice, quantity=1,
                                       order_id=None, now=clock.now())

    assert counter.reserve(sale_id, alice, 1, 1) is Outcome.LIMIT_REACHED
    assert counter.reserve(sale_id, bob, 1, 1) is Outcome.OK
    assert counter.stock_left(sale_id) == 3
    left_key, users_key = counter.keys(sale_id)
    assert 0 < client.ttl(left_key) <= int(timedelta(hours=1, days=1).total_seconds())
    assert client.hget(users_key, str(alice)) == b"1"
    for key in (left_key, users_key):
        client.delete(key)
    client.close()


def test_released_reservation_gives_its_units_back_exactly_once():
    sale_id = _sale(stock=1)
    alice, bob = bulk_users(2)
    assert flash_stock.reserve(sale_id, alice, 1, 1) is Outcome.OK
    with transaction() as session:
        reservation = flash_sales.record_reservation(
            session, sale_id=sale_id, user_id=alice, quantity=1, order_id=None,
            now=clock.now())
    assert flash_stock.reserve(sale_id, bob, 1, 1) is Outcome.SOLD_OUT

    clock.advance(timedelta(minutes=6))
    assert flash_sales.release_expired_reservations() == 1
    assert flash_sales.release_expired_reservations() == 0

    assert flash_stock.stock_left(sale_id) == 1
    assert flash_stock.reserve(sale_id, bob, 1, 1) is Outcome.OK
    with read_session() as session:
        assert session.get(FlashReservation, reservation.id).status == "released"


def test_2000_concurrent_buyers_get_exactly_the_stock(counter):
    """Given stock 100, a limit of 1 and 2,000 attempts by 1,500 users (500 retries)."""
    sale_id = _sale(stock=100)
    users = bulk_users(1500)
    attempts = users + random.Random(7).sample(users, 500)
    random.Random(8).shuffle(attempts)

    outcomes = run_concurrently(lambda user: (user, counter.reserve(sale_id, user, 1, 1)),
                                attempts)

    winners = [user for user, outcome in outcomes if outcome is Outcome.OK]
    assert len(winners) == 100
    assert len(set(winners)) == 100
    assert counter.stock_left(sale_id) == 0
    refused = {outcome for _, outcome in outcomes if outcome is not Outcome.OK}
    assert refused <= {Outcome.SOLD_OUT, Outcome.LIMIT_REACHED}
    if isinstance(counter, DatabaseCounter):
        assert _sold(sale_id) == 100
        assert _held(sale_id) == dict.fromkeys(winners, 1)


def test_stock_left_reads_the_counter():
    sale_id = _sale(stock=4)
    with read_session() as session:
        assert flash_sales.get_flash_sale(session, sale_id).stock_left == 4
    (alice,) = bulk_users(1)
    assert flash_stock.reserve(sale_id, alice, 1, 1) is Outcome.OK
    with read_session() as session:
        sale = flash_sales.get_flash_sale(session, sale_id)
        total = session.scalar(select(func.count(FlashSale.id)))
    assert (sale.stock_left, sale.status, total) == (3, "active", 1)
