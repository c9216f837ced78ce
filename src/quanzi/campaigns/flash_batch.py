"""The flash-sale counter on an event loop, for the buy route: reserves grouped per tick.

During a flash sale thousands of buyers ask at once and nearly all of them must hear
"sold out". Sending each ask to Redis on its own costs a round trip, a pooled connection
and a script call per request, in this process and in Redis. Here the asks that reach
the loop together wait for one ``call_soon`` and go to Redis as ONE script call per
sale: the script takes them in arrival order with the same rules as the one-at-a-time
``flash_stock`` script (stock, then the user's limit), so the answers are exactly what
sequential calls would have given, and the whole batch is atomic.

Each answer also says whether the request's Idempotency-Key bought before (it is in the
sale's "bought" hash), so a refusal that is not a retry is answered without the database.
"""

import asyncio
from collections import defaultdict
from typing import Any

from quanzi.campaigns import flash_stock
from quanzi.campaigns.flash_stock import Outcome, RedisCounter
from quanzi.core.config import get_settings

MAX_BATCH = 256  # asks per script call

# KEYS: left, users, bought.  ARGV: per-user limit, then the asks packed as lines of
# "<quantity> <user id> <Idempotency-Key>\n" (one argument whatever the batch's size).
# Returns one reply per ask: 1 ok, 0 sold out, 2 limit reached, +10 when "<user>:<key>"
# is in the bought hash (a retry of a buy that went through); all -1 when not loaded.
_RESERVE_MANY = """
local left = redis.call('GET', KEYS[1])
local out = {}
if not left then
  for _ in string.gmatch(ARGV[2], "[^\\n]+") do out[#out + 1] = -1 end
  return out
end
left = tonumber(left)
local limit = tonumber(ARGV[1])
local taken = 0
for qty, user, key in string.gmatch(ARGV[2], "(%d+) (%d+) ([^\\n]+)") do
  qty = tonumber(qty)
  local reply
  if left < qty then
    reply = 0
  else
    local held = tonumber(redis.call('HGET', KEYS[2], user) or '0')
    if held + qty > limit then reply = 2 else reply = 1 end
  end
  if reply == 1 then
    left = left - qty
    taken = taken + qty
    redis.call('HINCRBY', KEYS[2], user, qty)
    redis.call('HSET', KEYS[3], user .. ':' .. key, 1)
  else
    reply = reply + redis.call('HEXISTS', KEYS[3], user .. ':' .. key) * 10
  end
  out[#out + 1] = reply
end
if taken > 0 then
  redis.call('DECRBY', KEYS[1], taken)
  local ttl = redis.call('TTL', KEYS[1])
  if ttl > 0 then
    redis.call('EXPIRE', KEYS[2], ttl)
    redis.call('EXPIRE', KEYS[3], ttl)
  end
end
return out
"""

_REPLIES = {1: Outcome.OK, 0: Outcome.SOLD_OUT, 2: Outcome.LIMIT_REACHED}

Ask = tuple[int, int, str, "asyncio.Future[int]"]  # quantity, user id, key, answer


class BatchedRedisCounter:
    """``reserve`` on one event loop, batched per sale and per loop tick."""

    def __init__(self, url: str, counter: RedisCounter) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(url)
        self.counter = counter
        self._script = self.client.register_script(_RESERVE_MANY)
        self._waiting: dict[int, list[Ask]] = defaultdict(list)
        self._limits: dict[int, int] = {}
        self._flush_due = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def reserve(self, sale_id: int, user_id: int, quantity: int, per_user_limit: int,
                      key: str) -> tuple[Outcome, bool] | None:
        """(outcome, whether ``key`` may have bought before), or None when the sale's keys
        are not loaded yet (then use the thread-side ``flash_stock.reserve``)."""
        if "\n" in key:
            raise ValueError("an Idempotency-Key cannot hold a line break")
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[int] = loop.create_future()
        self._waiting[sale_id].append((quantity, user_id, key, answer))
        self._limits[sale_id] = per_user_limit
        if not self._flush_due:
            self._flush_due = True
            loop.call_soon(self._flush)
        reply = await answer
        if reply == -1:
            return None
        return _REPLIES[reply % 10], reply >= 10

    def _flush(self) -> None:
        self._flush_due = False
        waiting, self._waiting = self._waiting, defaultdict(list)
        for sale_id, asks in waiting.items():
            task = asyncio.ensure_future(self._send_all(sale_id, self._limits[sale_id], asks))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send_all(self, sale_id: int, limit: int, asks: list[Ask]) -> None:
        """The sale's asks in arrival order, at most ``MAX_BATCH`` per script call."""
        for start in range(0, len(asks), MAX_BATCH):
            await self._send(sale_id, limit, asks[start:start + MAX_BATCH])

    async def _send(self, sale_id: int, limit: int, asks: list[Ask]) -> None:
        keys = [*self.counter.keys(sale_id), self.counter.bought_key(sale_id)]
        packed = "".join([f"{quantity} {user_id} {key}\n" for quantity, user_id, key, _ in asks])
        try:
            replies = await self._script(keys=keys, args=[limit, packed])
        except Exception as exc:  # every ask hears the failure
            for *_, answer in asks:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (quantity, user_id, _, answer), reply in zip(asks, replies, strict=True):
            if not answer.done():
                answer.set_result(int(reply))
            elif int(reply) == 1:  # its request was cancelled meanwhile: give the units back
                await asyncio.to_thread(self.counter.release, sale_id, user_id, quantity)


_counters: dict[int, tuple[Any, BatchedRedisCounter]] = {}  # loop id → (loop, counter)


def batched_counter() -> BatchedRedisCounter | None:
    """The batched counter of the running event loop, or None without Redis."""
    active = flash_stock.counter()
    if not isinstance(active, RedisCounter):
        return None
    loop = asyncio.get_running_loop()
    entry = _counters.get(id(loop))
    if entry is None or entry[0] is not loop or entry[1].counter is not active:
        if len(_counters) > 8:
            _counters.clear()
        entry = _counters[id(loop)] = (loop, BatchedRedisCounter(str(get_settings().redis_url),
                                                                  active))
    return entry[1]
