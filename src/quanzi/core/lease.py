"""A lease: one holder at a time for a named duty (the periodic sweeps), across processes
and machines that share the database.

A holder takes the lease for ``ttl`` and renews it while it works; a holder that stops
releases it, and one that dies loses it when its ``ttl`` runs out. Two kinds, chosen by
:func:`lease_for` from the settings:

* :class:`RedisLease` when ``QUANZI_REDIS_URL`` is set: one key, written only while it
  is free or already this holder's (a script), expiring after ``ttl`` on Redis's clock;
* :class:`DatabaseLease` otherwise: one row of ``scheduler_leases`` per duty, taken by a
  conditional update (``… WHERE holder = :me OR expires_at <= :now``), so two
  contenders never both win; expiry is read from ``core.clock``.

Example::

    lease = lease_for(get_settings(), "sweeps")
    if lease.hold("host:123:ab12", timedelta(seconds=15)):
        ...  # until the ttl runs out, nobody else holds "sweeps"
    lease.release("host:123:ab12")
"""

import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, String, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from quanzi.core import clock
from quanzi.core.config import Settings
from quanzi.core.db import Base, UTCDateTime, read_session, transaction

__all__ = ["DatabaseLease", "Lease", "RedisLease", "SchedulerLease", "holder_name",
           "lease_for"]


class SchedulerLease(Base):
    """Who holds a duty, and until when (the last holder stays recorded after expiry)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Lease(Protocol):
    """The port the scheduler needs; every method may raise when its store is down."""

    def hold(self, holder: str, ttl: timedelta) -> bool:
        """Take the lease, or renew it when ``holder`` has it; False while another holds it."""

    def release(self, holder: str) -> None:
        """Give the lease up at once if ``holder`` has it; otherwise change nothing."""

    def holder(self) -> str | None:
        """Who holds the lease now (None when nobody does)."""


def holder_name() -> str:
    """A name for this process: ``host:pid:random`` (unique even when a pid is reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class DatabaseLease:
    """The lease as the row ``scheduler_leases[name]``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def hold(self, holder: str, ttl: timedelta) -> bool:
        now = clock.now()
        try:
            with transaction() as session:
                taken = cast(CursorResult[Any], session.execute(
                    update(SchedulerLease)
                    .where(SchedulerLease.name == self.name,
                           or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now))
                    .values(holder=holder, expires_at=now + ttl)))
                if taken.rowcount:
                    return True
                if session.get(SchedulerLease, self.name) is not None:
                    return False
                session.add(SchedulerLease(name=self.name, holder=holder, expires_at=now + ttl))
                session.flush()
                return True
        except IntegrityError:  # another contender made the row first: it holds the lease
            return False

    def release(self, holder: str) -> None:
        with transaction() as session:
            session.execute(update(SchedulerLease)
                            .where(SchedulerLease.name == self.name,
                                   SchedulerLease.holder == holder)
                            .values(expires_at=clock.now()))

    def holder(self) -> str | None:
        with read_session() as session:
            row = session.get(SchedulerLease, self.name)
            return row.holder if row is not None and row.expires_at > clock.now() else None


_HOLD = """
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisLease:
    """The lease as one Redis key holding the holder's name, expiring after ``ttl``."""

    def __init__(self, client: Any, key: str) -> None:
        self.client, self.key = client, key
        self._hold = client.register_script(_HOLD)
        self._release = client.register_script(_RELEASE)

    def hold(self, holder: str, ttl: timedelta) -> bool:
        milliseconds = max(1, int(ttl.total_seconds() * 1000))
        return bool(self._hold(keys=[self.key], args=[holder, milliseconds]))

    def release(self, holder: str) -> None:
        self._release(keys=[self.key], args=[holder])

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value


def lease_for(settings: Settings, name: str) -> Lease:
    """The lease on duty ``name``: in Redis when the settings name one, else in the database."""
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url, socket_timeout=5)
        return RedisLease(client, f"{settings.redis_prefix}lease:{name}")
    return DatabaseLease(name)
