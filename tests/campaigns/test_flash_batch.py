"""The batched Redis counter of the buy route: a sale's asks coalesced into few script
calls, with exactly the answers one-at-a-time calls would give."""

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from quanzi.campaigns.flash.batch import BatchedRedisCounter
from quanzi.campaigns.flash.stock import Outcome, RedisCounter
from tests import backends
from tests.campaigns.helpers import bulk_users
from tests.campaigns.test_flash_stock import _sale


@pytest.fixture
def counters(request):  # type: ignore[no-untyped-def]
    backends.require_redis()
    client = redis.Redis.from_url(backends.REDIS_URL)
    prefix = f"quanzi-test-{backends.RUN_ID}:{request.node.name}:"
    plain = RedisCounter(client, prefix)
    yield plain, lambda: BatchedRedisCounter(backends.REDIS_URL, plain)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def _in_own_loop(coroutine):  # type: ignore[no-untyped-def]
    """``asyncio.run`` on a thread of its own: the browser tests keep a loop running in
    the main thread for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _run(make, asks):  # type: ignore[no-untyped-def]
    """Send every ask in the same loop tick; the answers in order, and the script calls."""
    async def main():  # type: ignore[no-untyped-def]
        batched = make()
        answers = await asyncio.gather(*(batched.reserve(*ask) for ask in asks))
        await batched.client.aclose()
        return answers, batched.asks.calls

    return _in_own_loop(main())


def test_a_crowd_gets_exactly_the_stock_in_one_call_per_sale(counters):
    plain, make = counters
    sale_id = _sale(stock=50)
    plain.load(sale_id, force=False)
    users = bulk_users(200)
    people = users + random.Random(3).sample(users, 100)
    random.Random(4).shuffle(people)
    asks = [(sale_id, user, 1, 1, f"k{i}") for i, user in enumerate(people)]

    answers, calls = _run(make, asks)

    assert calls == 2  # 300 asks: MAX_BATCH in the first call, the rest in the second
    winners = [ask[1] for ask, (outcome, _) in zip(asks, answers, strict=True)
               if outcome is Outcome.OK]
    assert len(winners) == len(set(winners)) == 50
    assert plain.stock_left(sale_id) == 0
    # the same answers as sequential calls: the first 50 distinct users win, in order
    expected, seen_users = [], set()
    for user in people:
        if user not in seen_users and len(expected) < 50:
            expected.append(user)
        seen_users.add(user)
    assert winners == expected
    assert {seen for _, seen in answers} == {False}


def test_a_retry_of_a_buy_that_went_through_is_told_so(counters):
    plain, make = counters
    sale_id = _sale(stock=5, per_user_limit=1)
    plain.load(sale_id, force=False)
    alice, bob = bulk_users(2)

    first, _ = _run(make, [(sale_id, alice, 1, 1, "buy-1")])
    again, _ = _run(make, [(sale_id, alice, 1, 1, "buy-1"), (sale_id, alice, 1, 1, "buy-2"),
                           (sale_id, bob, 1, 1, "buy-1 with spaces")])

    assert first == [(Outcome.OK, False)]
    assert again == [(Outcome.LIMIT_REACHED, True), (Outcome.LIMIT_REACHED, False),
                     (Outcome.OK, False)]
    assert plain.maybe_bought(sale_id, bob, "buy-1 with spaces")
    assert not plain.maybe_bought(sale_id, alice, "buy-2")
    assert plain.stock_left(sale_id) == 3


def test_a_sale_not_in_redis_yet_is_loaded_once_for_the_waiting_asks(counters):
    plain, make = counters
    sale_id = _sale(stock=5)
    alice, bob = bulk_users(2)

    answers, calls = _run(make, [(sale_id, alice, 1, 1, "a"), (sale_id, alice, 1, 1, "b"),
                                 (sale_id, bob, 1, 1, "c")])

    assert answers == [(Outcome.OK, False), (Outcome.LIMIT_REACHED, False), (Outcome.OK, False)]
    assert calls == 1
    assert plain.stock_left(sale_id) == 3


def test_two_sales_in_one_tick_are_two_calls(counters):
    plain, make = counters
    first, second = _sale(stock=1), _sale(stock=1)
    for sale_id in (first, second):
        plain.load(sale_id, force=False)
    alice, bob = bulk_users(2)

    answers, calls = _run(make, [(first, alice, 1, 1, "x"), (second, alice, 1, 1, "x"),
                                 (first, bob, 1, 1, "y"), (second, bob, 1, 1, "y")])

    assert calls == 2
    assert [outcome for outcome, _ in answers] == [Outcome.OK, Outcome.OK,
                                                   Outcome.SOLD_OUT, Outcome.SOLD_OUT]


@pytest.mark.parametrize("bought_before", [False, True])
def test_a_cancelled_ask_that_got_units_gives_them_back(counters, bought_before):
    plain, make = counters
    sale_id = _sale(stock=3, per_user_limit=2)
    plain.load(sale_id, force=False)
    (alice,) = bulk_users(1)
    if bought_before:  # the same key bought once already: its reply carries the +10 flag
        _run(make, [(sale_id, alice, 1, 2, "gone")])

    async def main() -> None:
        batched = make()
        asking = asyncio.ensure_future(batched.reserve(sale_id, alice, 1, 2, "gone"))
        await asyncio.sleep(0)  # the ask is queued and its call started
        asking.cancel()
        await asyncio.sleep(0.2)
        while batched.asks._tasks:
            await asyncio.gather(*batched.asks._tasks)
        await batched.client.aclose()

    _in_own_loop(main())
    assert plain.stock_left(sale_id) == (2 if bought_before else 3)


def test_a_key_with_a_line_break_is_refused(counters):
    _plain, make = counters
    with pytest.raises(ValueError):
        _run(make, [(1, 1, 1, 1, "a\nb")])


def test_once_sold_out_asks_are_refused_without_a_call_but_retries_still_reach_redis(
        counters, monkeypatch):
    from quanzi.campaigns.flash import batch as flash_batch

    plain, make = counters
    sale_id = _sale(stock=1)
    plain.load(sale_id, force=False)
    winner, late, later = bulk_users(3)
    monkeypatch.setattr(flash_batch, "SOLD_OUT_FOR", 60.0)

    async def main():  # type: ignore[no-untyped-def]
        batched = make()
        first = await batched.reserve(sale_id, winner, 1, 1, "w")
        calls = batched.asks.calls
        refused = await batched.reserve(sale_id, late, 1, 1, "l")
        quiet = batched.asks.calls - calls
        retry = await batched.reserve(sale_id, winner, 1, 1, "w")
        plain.release(sale_id, winner, 1)  # the winner's order was not paid
        still_refused = await batched.reserve(sale_id, later, 1, 1, "x")
        batched._sold_out.clear()  # the window is over
        resold = await batched.reserve(sale_id, later, 1, 1, "x")
        await batched.client.aclose()
        return first, refused, quiet, retry, still_refused, resold

    first, refused, quiet, retry, still_refused, resold = _in_own_loop(main())
    assert first == (Outcome.OK, False)
    assert refused == (Outcome.SOLD_OUT, False) and quiet == 0  # answered in process
    assert retry == (Outcome.SOLD_OUT, True)  # the retry went to Redis: its order is found
    assert still_refused == (Outcome.SOLD_OUT, False)  # the released unit waits for the window
    assert resold == (Outcome.OK, False)
    assert plain.stock_left(sale_id) == 0


def test_the_sold_out_window_is_short_by_default():
    from quanzi.campaigns.flash import batch as flash_batch

    assert 0 < flash_batch.SOLD_OUT_FOR <= 0.05


def test_ended_sold_out_windows_are_not_kept(counters, monkeypatch):
    from quanzi.campaigns.flash import batch as flash_batch

    plain, make = counters
    first, second = _sale(stock=1), _sale(stock=1)
    for sale_id in (first, second):
        plain.load(sale_id, force=False)
    (alice,) = bulk_users(1)
    monkeypatch.setattr(flash_batch, "SOLD_OUT_FOR", 0.0)

    async def main():  # type: ignore[no-untyped-def]
        batched = make()
        await batched.reserve(first, alice, 1, 1, "a")
        await batched.reserve(second, alice, 1, 1, "b")
        kept = set(batched._sold_out)
        await batched.client.aclose()
        return kept

    assert _in_own_loop(main()) == {second}
