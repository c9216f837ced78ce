"""The rate limits of ``core.rate_limits`` checked on an event loop, for the bare hot
routes (the flash-sale buy): the check must not need a thread.

Without Redis the process's in-memory moving window is asked directly (no I/O). With
Redis each event loop has its own asyncio client of the ``limits`` library over the same
keys as the threads' limiter, so a check is one script call, one round trip; a refusal
says to retry after the limit's whole window (an upper bound, found without a second
round trip).
"""

import asyncio
import logging

from limits.aio.storage import RedisStorage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from quanzi.core import rate_limits
from quanzi.core.config import get_settings
from quanzi.core.errors import RateLimited
from quanzi.core.rate_limits import Limiter, Name

log = logging.getLogger(__name__)

# loop id → (the loop, the limiter it was made for, its asyncio moving window, its storage)
_windows: dict[int, tuple[asyncio.AbstractEventLoop, Limiter, MovingWindowRateLimiter,
                          RedisStorage]] = {}


def _window(base: Limiter, redis_url: str) -> MovingWindowRateLimiter:
    loop = asyncio.get_running_loop()
    entry = _windows.get(id(loop))
    if entry is None or entry[0] is not loop or entry[1] is not base:
        if len(_windows) > 8:  # loops of finished test clients
            _windows.clear()
        storage = RedisStorage(f"async+{redis_url}", implementation="redispy",
                               key_prefix=f"{get_settings().redis_prefix}rate",
                               wrap_exceptions=True)
        entry = _windows[id(loop)] = (loop, base, MovingWindowRateLimiter(storage), storage)
    return entry[2]


async def close() -> None:
    """Close this event loop's Redis client, if it made one (the server's shutdown: a
    client left to the garbage collector would leave its socket open)."""
    entry = _windows.pop(id(asyncio.get_running_loop()), None)
    if entry is not None and isinstance(entry[3].bridge, RedispyBridge):  # as _window made it
        await entry[3].bridge.storage.aclose()


async def check(name: Name, *key: str) -> None:
    """Count one attempt; :class:`RateLimited` if it is over the limit."""
    base = rate_limits.limiter()
    if not base.policy.enabled:
        return
    redis_url = get_settings().redis_url
    if not redis_url:
        base.check(name, *key)
        return
    item = base.policy.items[name]
    try:
        allowed = await _window(base, redis_url).hit(item, name.value, *key)
    except StorageError as exc:
        log.warning("rate limit %s not applied: storage unavailable (%s)", name, exc)
        return
    if not allowed:
        wait = item.get_expiry()
        raise RateLimited(f"too many attempts: try again in {wait} seconds", retry_after=wait)
