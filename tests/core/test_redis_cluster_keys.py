"""Redis Cluster readiness: every Redis call that touches several keys at once (a Lua
script, a MULTI/EXEC pipeline) names keys of one hash slot, through a shared ``{tag}``.

Each use of Redis in the code runs once against the run's Redis, with the scripts'
and the transactions' keys recorded on the way (the calls themselves go through): the
flash-sale counter (plain and batched), the sweeps' lease, the rate limits (thread and
event loop) and the news channel.
"""

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import redis
import redis.asyncio
from redis.commands.core import AsyncScript, Script
from redis.crc import key_slot

from quanzi.campaigns.flash.batch import BatchedRedisCounter
from quanzi.campaigns.flash.stock import RedisCounter
from quanzi.core import broadcast, lease, rate_limits, rate_limits_aio
from quanzi.core.config import get_settings
from tests import backends
from tests.campaigns.test_flash_stock import _sale

Touched = list[tuple[str, list[str]]]  # (what: a script's first line or "MULTI", its keys)


@pytest.fixture
def touched(monkeypatch: pytest.MonkeyPatch) -> Iterator[Touched]:
    """Record the keys of every script call and every transaction (MULTI … EXEC)."""
    backends.require_redis()
    found: Touched = []
    script_call, async_script_call = Script.__call__, AsyncScript.__call__
    execute, async_execute = redis.client.Pipeline.execute, redis.asyncio.client.Pipeline.execute

    def script(self: Any, keys: Any = (), *args: Any, **kwargs: Any) -> Any:
        found.append((_first_line(self.script), [_text(key) for key in keys or ()]))
        return script_call(self, keys, *args, **kwargs)

    def async_script(self: Any, keys: Any = (), *args: Any, **kwargs: Any) -> Any:
        found.append((_first_line(self.script), [_text(key) for key in keys or ()]))
        return async_script_call(self, keys, *args, **kwargs)

    def pipeline(self: Any, *args: Any, **kwargs: Any) -> Any:
        _record_multi(self, found)
        return execute(self, *args, **kwargs)

    async def async_pipeline(self: Any, *args: Any, **kwargs: Any) -> Any:
        _record_multi(self, found)
        return await async_execute(self, *args, **kwargs)

    monkeypatch.setattr(Script, "__call__", script)
    monkeypatch.setattr(AsyncScript, "__call__", async_script)
    monkeypatch.setattr(redis.client.Pipeline, "execute", pipeline)
    monkeypatch.setattr(redis.asyncio.client.Pipeline, "execute", async_pipeline)
    yield found


def _text(key: Any) -> str:
    return key.decode() if isinstance(key, bytes) else str(key)


def _first_line(script: Any) -> str:
    return _text(script).strip().splitlines()[0][:60]


def _record_multi(pipe: Any, found: Touched) -> None:
    if pipe.transaction and pipe.command_stack:  # every command's key is its first argument
        found.append(("MULTI", [_text(command[0][1]) for command in pipe.command_stack]))


def _one_slot(found: Touched) -> list[str]:
    """What touched keys of more than one slot, or several keys without a hash tag."""
    wrong = []
    for what, keys in found:
        if len({key_slot(key.encode()) for key in keys}) > 1:
            wrong.append(f"{what}: keys in different slots: {keys}")
        elif len(set(keys)) > 1 and not all("{" in key and "}" in key for key in keys):
            wrong.append(f"{what}: several keys without a hash tag: {keys}")
    return wrong


def _in_own_loop(coroutine: Any) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_flash_counter_s_scripts_and_transactions_keep_to_the_sale_s_slot(touched):
    client = redis.Redis.from_url(backends.REDIS_URL)
    counter = RedisCounter(client, get_settings().redis_prefix)
    sale_id = _sale(stock=5)
    counter.load(sale_id, force=False)
    counter.reserve(sale_id, 1, 1, 2)
    counter.remember_buy(sale_id, 1, "k1")
    counter.release(sale_id, 1, 1)
    counter.reconcile(sale_id)

    async def batched() -> None:
        plain = BatchedRedisCounter(backends.REDIS_URL, counter)
        await asyncio.gather(*(plain.reserve(sale_id, user, 1, 1, f"b{user}")
                               for user in range(2, 9)))  # more buyers than units
        await plain.client.aclose()

    _in_own_loop(batched())
    client.close()

    assert max(len(keys) for _, keys in touched) >= 3  # the scripts were seen
    assert {key.split("}")[0] for _, keys in touched for key in keys} == {
        f"{get_settings().redis_prefix}{{flash:{sale_id}"}
    assert _one_slot(touched) == []


def test_the_lease_the_rate_limits_and_the_news_touch_one_key_per_call(touched, monkeypatch):
    monkeypatch.setenv("QUANZI_RATE_LIMITS", "on")
    rate_limits.reset()
    held = lease.lease_for(get_settings(), "cluster-keys")
    assert held.hold("me", timedelta(seconds=5))
    held.release("me")
    rate_limits.check(rate_limits.Name.LOGIN, "someone@example.cn")

    async def aio() -> None:
        await rate_limits_aio.check(rate_limits.Name.FLASH_BUY, "7")
        await rate_limits_aio.close()

    _in_own_loop(aio())
    broadcast.announce("cluster-keys", {})
    rate_limits.reset()

    assert len(touched) >= 3 and all(len(set(keys)) == 1 for _, keys in touched), touched
    assert _one_slot(touched) == []


def test_keys_of_two_slots_are_found():
    assert _one_slot([("MULTI", ["a:{x}:1", "a:{y}:2"]), ("s", ["a:1", "a:2"])]) != []
    assert len(_one_slot([("s", ["a:1", "a:1"]), ("t", ["p{t}1", "p{t}2"])])) == 0
