"""The flash-sale counter on an event loop, for the buy route: reserves sent in batches.

During a flash sale thousands of buyers ask at once and nearly all of them must hear
"sold out". Sending each ask to Redis on its own costs a round trip, a pooled connection
and a script call per request, in this process and in Redis. Here each sale has at most
one script call in flight: the asks that arrive while it runs wait, and go together as
the next call (like a database's group commit), so the busier the sale, the more asks
each call carries, while a lone ask waits no longer than one loop tick. The script takes
the asks in arrival order with the same rules as the one-at-a-time ``flash_stock``
script (stock, then the user's limit), so the answers are exactly what sequential calls
would have given, and the whole batch is atomic.

Each answer also says whether the request's Idempotency-Key bought before (it is in the
sale's "bought" hash), so a refusal that is not a retry is answered without the database.
"""

import asyncio
from collections.abc import Hashable
from typing import Any

from quanzi.campaigns import flash_stock
from quanzi.campaigns.flash_stock import Outcome, RedisCounter
from quanzi.core.coalesce import Coalescer
from quanzi.core.config import get_settings

MAX_BATCH = 256  # asks per script call

# KEYS: left, users, bought.  ARGV: per-user limit, then the asks packed as lines of
# "<quantity> <user id> <Idempotency-Key>\n" (one argument whatever the batch's size).
# Returns one reply per ask: 1 ok, 0 sold out, 2 limit reached, +10 when "<user>:<key>"
# was already in the bought hash (it may be a retry of a buy that went through); all -1
# when not loaded.
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
  local bought = user .. ':' .. key
  local seen = redis.call('HEXISTS', KEYS[3], bought) * 10
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
    redis.call('HSET', KEYS[3], bought, 1)
  end
  out[#out + 1] = reply + seen
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

Ask = tuple[int, int, str, int]  # quantity, user id, Idempotency-Key, the sale's per-user limit


class BatchedRedisCounter:
    """``reserve`` on one event loop: a sale's asks coalesced, one script call in flight."""

    def __init__(self, url: str, counter: RedisCounter) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(url)
        self.counter = counter
        self._script = self.client.register_script(_RESERVE_MANY)
        self.asks: Coalescer[Ask, int] = Coalescer(self._send, max_batch=MAX_BATCH,
                                                   orphan=self._give_back)

    async def reserve(self, sale_id: int, user_id: int, quantity: int, per_user_limit: int,
                      key: str) -> tuple[Outcome, bool] | None:
        """(outcome, whether ``key`` may have bought before), or None when the sale's keys
        are not loaded yet (then use the thread-side ``flash_stock.reserve``)."""
        if "\n" in key:
            raise ValueError("an Idempotency-Key cannot hold a line break")
        reply = await self.asks.ask(sale_id, (quantity, user_id, key, per_user_limit))
        if reply == -1:
            return None
        return _REPLIES[reply % 10], reply >= 10

    async def _send(self, sale_id: Hashable, asks: list[Ask]) -> list[int]:
        assert isinstance(sale_id, int)
        keys = [*self.counter.keys(sale_id), self.counter.bought_key(sale_id)]
        packed = "".join([f"{quantity} {user_id} {key}\n" for quantity, user_id, key, _ in asks])
        replies = await self._script(keys=keys, args=[asks[0][3], packed])
        return [int(reply) for reply in replies]

    async def _give_back(self, sale_id: Hashable, ask: Ask, reply: int) -> None:
        """An ask whose request was cancelled while the script ran: its units go back."""
        if reply == 1:
            assert isinstance(sale_id, int)
            await asyncio.to_thread(self.counter.release, sale_id, ask[1], ask[0])


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
