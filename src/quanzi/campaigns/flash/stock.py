"""The flash-sale stock counter: units left and units per user, changed atomically.

Two implementations behind one interface (``FlashCounter``), chosen by settings:

* ``RedisCounter`` (``QUANZI_REDIS_URL`` set): the units left and a hash of units per
  user live in Redis and change in ONE Lua script, so a check-and-take never races and a
  sold-out answer never touches the database. The keys are loaded from the database on
  first use (``SET NX``: the first loader wins) and can be rebuilt with ``reconcile``.
* ``DatabaseCounter``: ``flash_sales.sold`` moves by ``UPDATE … SET sold = sold + :q
  WHERE sold + :q <= stock`` and the per-user count by the same kind of conditional
  update on its ``campaign_quotas`` row; a sold-out answer costs one indexed read.

The database's truth is the ``flash_reservations`` rows (``reserved`` or ``paid``): a buy
reserves here first, then records its reservation with its order; a reservation that is
released (unpaid, cancelled) gives its units back with ``release_reservation_units``.

Example::

    outcome = flash_stock.reserve(sale.id, user_id, 1, sale.per_user_limit)
    if outcome is not Outcome.OK:
        raise Conflict("...", code=outcome.value)   # sold_out | limit_reached
"""

from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

import redis
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quanzi.campaigns import quota
from quanzi.campaigns.models import CampaignQuota, FlashReservation, FlashSale
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows, is_postgres, on_after_commit, read_session, transaction
from quanzi.core.errors import NotFound

QUOTA_KIND = "flash"
LIVE = ("reserved", "paid")
KEY_GRACE = timedelta(days=1)  # Redis keys outlive the sale's end by this much


class Outcome(StrEnum):
    OK = "ok"
    SOLD_OUT = "sold_out"
    LIMIT_REACHED = "limit_reached"


class FlashCounter(Protocol):
    def reserve(self, sale_id: int, user_id: int, quantity: int,
                per_user_limit: int) -> Outcome:
        """Take ``quantity`` units for ``user_id`` if stock and the user's limit allow."""

    def release(self, sale_id: int, user_id: int, quantity: int) -> None:
        """Give back units the user holds (a release of more than they hold does nothing)."""

    def reconcile(self, sale_id: int) -> int:
        """Rebuild the counts from the live reservation rows; returns the units left."""

    def stock_left(self, sale_id: int) -> int:
        """Units still available."""

    def remember_buy(self, sale_id: int, user_id: int, key: str) -> None:
        """Note that the buy with Idempotency-Key ``key`` got units."""

    def maybe_bought(self, sale_id: int, user_id: int, key: str) -> bool:
        """False only when ``key`` surely bought nothing (a refusal then needs no lookup)."""


class _Refused(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


# --- the database's truth -----------------------------------------------------------


def _live_by_user(session: Session, sale_id: int) -> dict[int, int]:
    rows = session.execute(
        select(FlashReservation.user_id, func.sum(FlashReservation.quantity))
        .where(FlashReservation.sale_id == sale_id, FlashReservation.status.in_(LIVE))
        .group_by(FlashReservation.user_id)
    ).all()
    return {int(user_id): int(total) for user_id, total in rows}


def _sale(session: Session, sale_id: int, *, lock: bool = False) -> FlashSale:
    query = select(FlashSale).where(FlashSale.id == sale_id)
    if lock and is_postgres(session):
        query = query.with_for_update()
    sale = session.scalar(query)
    if sale is None:
        raise NotFound("no such flash sale")
    return sale


# --- database counter ---------------------------------------------------------------


class DatabaseCounter:
    """Counts in ``flash_sales.sold`` and ``campaign_quotas`` (kind ``flash``)."""

    def reserve(self, sale_id: int, user_id: int, quantity: int,
                per_user_limit: int) -> Outcome:
        with read_session() as session:
            left = session.scalar(select(FlashSale.stock - FlashSale.sold)
                                  .where(FlashSale.id == sale_id))
        if left is None:
            raise NotFound("no such flash sale")
        if left < quantity:
            return Outcome.SOLD_OUT  # the cheap answer: no write lock taken
        with transaction() as session:
            return self.reserve_in(session, sale_id, user_id, quantity, per_user_limit)

    def reserve_in(self, session: Session, sale_id: int, user_id: int, quantity: int,
                   per_user_limit: int) -> Outcome:
        """``reserve`` inside the caller's transaction (a savepoint: a refusal changes nothing)."""
        try:
            with session.begin_nested():
                if not quota.take(session, QUOTA_KIND, sale_id, user_id, quantity,
                                  per_user_limit):
                    raise _Refused(Outcome.LIMIT_REACHED)
                taken = changed_rows(
                    session,
                    update(FlashSale)
                    .where(FlashSale.id == sale_id, FlashSale.sold + quantity <= FlashSale.stock)
                    .values(sold=FlashSale.sold + quantity)
                    .execution_options(synchronize_session=False)
                )
                if taken != 1:
                    raise _Refused(Outcome.SOLD_OUT)
        except _Refused as refused:
            return refused.outcome
        return Outcome.OK

    def release(self, sale_id: int, user_id: int, quantity: int) -> None:
        with transaction() as session:
            self.release_in(session, sale_id, user_id, quantity)

    def remember_buy(self, sale_id: int, user_id: int, key: str) -> None:
        """Nothing to note: the database's idempotency keys are looked up directly."""

    def maybe_bought(self, sale_id: int, user_id: int, key: str) -> bool:
        return True

    def release_in(self, session: Session, sale_id: int, user_id: int, quantity: int) -> None:
        if not quota.give_back(session, QUOTA_KIND, sale_id, user_id, quantity):
            return  # the user does not hold that much: nothing to give back
        session.execute(
            update(FlashSale).where(FlashSale.id == sale_id, FlashSale.sold >= quantity)
            .values(sold=FlashSale.sold - quantity)
            .execution_options(synchronize_session=False)
        )

    def reconcile(self, sale_id: int) -> int:
        with transaction() as session:
            sale = _sale(session, sale_id, lock=True)
            by_user = _live_by_user(session, sale_id)
            session.execute(update(CampaignQuota)
                            .where(CampaignQuota.kind == QUOTA_KIND,
                                   CampaignQuota.campaign_id == sale_id)
                            .values(used=0).execution_options(synchronize_session=False))
            for user_id, held in by_user.items():
                quota.take(session, QUOTA_KIND, sale_id, user_id, held, held)
            sold = min(sum(by_user.values()), sale.stock)
            session.execute(update(FlashSale).where(FlashSale.id == sale_id).values(sold=sold)
                            .execution_options(synchronize_session=False))
            return sale.stock - sold

    def stock_left(self, sale_id: int) -> int:
        with read_session() as session:
            left = session.scalar(select(FlashSale.stock - FlashSale.sold)
                                  .where(FlashSale.id == sale_id))
        if left is None:
            raise NotFound("no such flash sale")
        return int(left)


# --- Redis counter ------------------------------------------------------------------

# KEYS: left, users.  ARGV: quantity, per-user limit, user id.
# Returns 1 ok, 0 sold out, 2 limit reached, -1 not loaded yet.
_RESERVE = """
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
local qty = tonumber(ARGV[1])
if tonumber(left) < qty then return 0 end
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
if held + qty > tonumber(ARGV[2]) then return 2 end
redis.call('DECRBY', KEYS[1], qty)
redis.call('HINCRBY', KEYS[2], ARGV[3], qty)
local ttl = redis.call('TTL', KEYS[1])
if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl) end
return 1
"""

# KEYS: left, users.  ARGV: quantity, user id.  Gives back only what the user holds.
_RELEASE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local qty = tonumber(ARGV[1])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
if held < qty then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], -qty)
redis.call('INCRBY', KEYS[1], qty)
return 1
"""

# KEYS: left, users.  ARGV: mode (NX | FORCE), left, ttl seconds, user, held, user, held...
_LOAD = """
if ARGV[1] == 'NX' then
  if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[3]) then return 0 end
else
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
if #ARGV >= 4 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return 1
"""

_REPLIES = {1: Outcome.OK, 0: Outcome.SOLD_OUT, 2: Outcome.LIMIT_REACHED}

class RedisCounter:
    """Counts in Redis under ``{prefix}{flash:<id>}:left`` and ``…:users`` (one hash slot)."""

    def __init__(self, client: "redis.Redis", prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._reserve = client.register_script(_RESERVE)
        self._release = client.register_script(_RELEASE)
        self._load = client.register_script(_LOAD)

    def keys(self, sale_id: int) -> list[str]:
        base = f"{self.prefix}{{flash:{sale_id}}}"
        return [f"{base}:left", f"{base}:users"]

    def reserve(self, sale_id: int, user_id: int, quantity: int,
                per_user_limit: int) -> Outcome:
        args = [quantity, per_user_limit, user_id]
        reply = int(self._reserve(keys=self.keys(sale_id), args=args))
        if reply == -1:
            self.load(sale_id, force=False)
            reply = int(self._reserve(keys=self.keys(sale_id), args=args))
        return _REPLIES[reply]

    def release(self, sale_id: int, user_id: int, quantity: int) -> None:
        self._release(keys=self.keys(sale_id), args=[quantity, user_id])

    def bought_key(self, sale_id: int) -> str:
        """The hash of ``<user id>:<Idempotency-Key>`` fields of the buys that got units."""
        return f"{self.prefix}{{flash:{sale_id}}}:bought"

    def remember_buy(self, sale_id: int, user_id: int, key: str) -> None:
        """Note that ``key`` bought, so its retries look for their order (the hash lives
        as long as the sale's keys; two days when it is new)."""
        with self.client.pipeline() as pipe:
            pipe.hset(self.bought_key(sale_id), f"{user_id}:{key}", 1)
            pipe.expire(self.bought_key(sale_id), 2 * 86_400, nx=True)
            pipe.execute()

    def maybe_bought(self, sale_id: int, user_id: int, key: str) -> bool:
        return bool(self.client.hexists(self.bought_key(sale_id), f"{user_id}:{key}"))

    def load(self, sale_id: int, *, force: bool) -> int:
        """Write the database's truth into Redis (only if absent unless ``force``)."""
        with read_session() as session:
            sale = _sale(session, sale_id)
            by_user = _live_by_user(session, sale_id)
            stock, ends_at = sale.stock, sale.ends_at
        left = max(0, stock - sum(by_user.values()))
        ttl = max(60, int((ends_at + KEY_GRACE - clock.now()).total_seconds()))
        pairs: list[Any] = [item for pair in by_user.items() for item in pair]
        self._load(keys=self.keys(sale_id),
                   args=["FORCE" if force else "NX", left, ttl, *pairs])
        return left

    def reconcile(self, sale_id: int) -> int:
        """Overwrite Redis from the live reservation rows and store ``sold`` in the database.

        Run it when no buy of this sale is between its Redis reservation and its database
        row (after a crash, a Redis failover, or once the sale has ended): a reservation in
        flight would not be counted.
        """
        left = self.load(sale_id, force=True)
        with transaction() as session:
            sale = _sale(session, sale_id, lock=True)
            session.execute(update(FlashSale).where(FlashSale.id == sale_id)
                            .values(sold=sale.stock - left)
                            .execution_options(synchronize_session=False))
        return left

    def stock_left(self, sale_id: int) -> int:
        value = self.client.get(self.keys(sale_id)[0])
        if value is None:
            return self.load(sale_id, force=False)
        return int(value)


# --- choosing one -------------------------------------------------------------------


@lru_cache(maxsize=8)
def _counter(redis_url: str | None, prefix: str) -> FlashCounter:
    if redis_url:
        return RedisCounter(redis.Redis.from_url(redis_url), prefix)
    return DatabaseCounter()


def counter() -> FlashCounter:
    """The counter the settings choose: Redis when ``QUANZI_REDIS_URL`` is set."""
    settings = get_settings()
    return _counter(settings.redis_url, settings.redis_prefix)


def reserve(sale_id: int, user_id: int, quantity: int, per_user_limit: int) -> Outcome:
    """Take units of a flash sale for a user: ``ok`` | ``sold_out`` | ``limit_reached``.

    Runs outside the caller's transaction (Redis cannot join it): on ``ok`` the caller
    records a ``FlashReservation`` with its order, and calls ``release`` if that fails.
    """
    return counter().reserve(sale_id, user_id, quantity, per_user_limit)


def remember_buy(sale_id: int, user_id: int, key: str) -> None:
    counter().remember_buy(sale_id, user_id, key)


def maybe_bought(sale_id: int, user_id: int, key: str) -> bool:
    """False only when ``key`` surely bought nothing (a refusal then needs no lookup)."""
    return counter().maybe_bought(sale_id, user_id, key)


def release(sale_id: int, user_id: int, quantity: int) -> None:
    """Give units back (a reservation that was never recorded, or was released)."""
    counter().release(sale_id, user_id, quantity)


def reconcile(sale_id: int) -> int:
    """Rebuild the counter from the live ``flash_reservations`` rows; returns units left."""
    return counter().reconcile(sale_id)


def stock_left(sale_id: int) -> int:
    return counter().stock_left(sale_id)


def release_reservation_units(session: Session, sale_id: int, user_id: int,
                              quantity: int) -> None:
    """Give back a released reservation's units as part of the caller's transaction.

    The database counter moves in that transaction; Redis moves after it commits (never
    before: a rollback would otherwise have freed units still held).
    """
    active = counter()
    if isinstance(active, DatabaseCounter):
        active.release_in(session, sale_id, user_id, quantity)
    else:
        session.info.setdefault("flash_releases", []).append((sale_id, user_id, quantity))


def _release_after_commit(info: dict[str, Any]) -> None:
    for sale_id, user_id, quantity in info.get("flash_releases", ()):
        release(sale_id, user_id, quantity)


def plug() -> None:
    """Give released units back to Redis after each commit (``quanzi.wiring.wire``)."""
    on_after_commit(_release_after_commit)
