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
A call that leaves the sale sold out brings back that hash too: for ``SOLD_OUT_FOR``
the process then answers "sold out" itself to every ask that is not such a retry.
"""

import asyncio
import time
from collections.abc import Hashable
from typing import Any

from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import Outcome, RedisCounter
from quanzi.core.coalesce import Coalescer
from quanzi.core.config import get_settings

MAX_BATCH = 256  # asks per script call
# Once a call finds the sale sold out, for this long the process refuses asks itself,
# without a call, unless the ask's "<user>:<key>" bought before (a retry, which must get
# its order back). Units given back meanwhile (an unpaid order released) are sold again
# after at most this delay, and only to asks that reach Redis.
SOLD_OUT_FOR = 0.02  # seconds
MAX_SOLD_OUT_ENTRIES = 20_000  # a bigger bought hash is not shipped: every ask asks Redis

# KEYS: left, users, bought.  ARGV: per-user limit, the asks packed as lines of
# "<quantity> <user id> <Idempotency-Key>\n" (one argument whatever the batch's size),
# and the most "<user>:<key>" entries a sold-out answer may carry.
# Returns one reply per ask: 1 ok, 0 sold out, 2 limit reached, +10 when "<user>:<key>"
# was already in the bought hash (it may be a retry of a buy that went through); all -1
# when not loaded. When the sale is then sold out, 'sold out' and the bought hash's
# entries follow the replies (see ``SOLD_OUT_FOR``).
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
if left == 0 and redis.call('HLEN', KEYS[3]) <= tonumber(ARGV[3]) then
  out[#out + 1] = 'sold out'
  for _, bought in ipairs(redis.call('HKEYS', KEYS[3])) do out[#out + 1] = bought end
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
        # sale → (until when, the "<user>:<key>" entries that bought): see SOLD_OUT_FOR
        self._sold_out: dict[int, tuple[float, frozenset[str]]] = {}

    async def reserve(self, sale_id: int, user_id: int, quantity: int, per_user_limit: int,
                      key: str) -> tuple[Outcome, bool] | None:
        """(outcome, whether ``key`` may have bought before); a sale not in Redis yet is
        loaded from the database first, once for all the asks waiting for it. None when
        its keys are still missing (then use the thread-side ``flash_stock.reserve``)."""
        if "\n" in key:
            raise ValueError("an Idempotency-Key cannot hold a line break")
        sold_out = self._sold_out.get(sale_id)
        if sold_out is not None and time.monotonic() < sold_out[0] and (
                f"{user_id}:{key}" not in sold_out[1]):
            return Outcome.SOLD_OUT, False
        reply = await self.asks.ask(sale_id, (quantity, user_id, key, per_user_limit))
        if reply == -1:
            return None
        return _REPLIES[reply % 10], reply >= 10

    async def _send(self, sale_id: Hashable, asks: list[Ask]) -> list[int]:
        assert isinstance(sale_id, int)
        keys = [*self.counter.keys(sale_id), self.counter.bought_key(sale_id)]
        packed = "".join([f"{quantity} {user_id} {key}\n" for quantity, user_id, key, _ in asks])
        args: list[int | str] = [asks[0][3], packed, MAX_SOLD_OUT_ENTRIES]
        answer = await self._script(keys=keys, args=args)
        if answer and int(answer[0]) == -1:  # not in Redis yet: load once, then ask again
            await asyncio.to_thread(self.counter.load, sale_id, force=False)
            answer = await self._script(keys=keys, args=args)
        replies, rest = answer[:len(asks)], answer[len(asks):]
        if rest:
            now = time.monotonic()
            for stale in [sale for sale, (until, _) in self._sold_out.items() if until < now]:
                del self._sold_out[stale]  # ended windows: a long-lived process keeps none
            self._sold_out[sale_id] = (now + SOLD_OUT_FOR,
                                       frozenset(entry.decode() for entry in rest[1:]))
        else:
            self._sold_out.pop(sale_id, None)
        return [int(reply) for reply in replies]

    async def _give_back(self, sale_id: Hashable, ask: Ask, reply: int) -> None:
        """An ask whose request was cancelled while the script ran: its units go back."""
        if reply % 10 == 1:  # it got units (whether or not its key bought before)
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


async def close() -> None:
    """Close the running event loop's counter client, if it made one (the server's shutdown:
    a client left to the garbage collector would leave its socket to a closed loop)."""
    entry = _counters.pop(id(asyncio.get_running_loop()), None)
    if entry is not None:
        await entry[1].client.aclose()
