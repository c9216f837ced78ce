"""The rollup: the worker's sweep that keeps ``daily_metrics`` true.

Every run recomputes, with the aggregates of ``analytics.metrics``, the Shanghai days
that may have changed since the last run — from the last day rolled up (or yesterday,
whichever is earlier: a click buffered at 23:59:59 is written a moment after midnight)
to today — and writes one figure per day and metric. On an empty table (the first run)
it computes every day that has anything to count. ``sweep(full=True)`` redoes every day
(``quanzi demo`` after loading data dated in the past).

Idempotent: a figure is a pure function of the other tables, written by ``INSERT … ON
CONFLICT (day, metric) DO UPDATE`` (PostgreSQL and SQLite alike), so running the sweep
twice changes nothing but ``rolled_at``. Two sweeps at once are serialised — SQLite's
write transaction begins with ``BEGIN IMMEDIATE``, PostgreSQL takes a transaction-level
advisory lock first — so the one that writes last has also read last.

>>> sweep()   # figures written: days × metrics
14
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Insert, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from quanzi.analytics.days import ONE_DAY, Figure, Window, days_between, fill, shanghai_day
from quanzi.analytics.metrics import METRICS, measure
from quanzi.analytics.models import DailyMetric
from quanzi.core import clock
from quanzi.core.db import is_postgres, transaction

EARLIEST = date(2000, 1, 1)  # before anything quanzi ever recorded: the full rollup's start
LOCK_KEY = 0x7175616E7A69  # the PostgreSQL advisory lock of the rollup ("quanzi" in ASCII)
KEY = ["day", "metric"]  # the conflict target: the primary key


def sweep(*, full: bool = False) -> int:
    """Roll up the days that may have changed (every day when ``full`` or when nothing was
    rolled up yet), in one transaction; returns how many figures were written."""
    with transaction() as session:
        if is_postgres(session):
            session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
        return roll_up(session, now=clock.now(), full=full)


def roll_up(session: Session, *, now: datetime, full: bool = False) -> int:
    """Recompute and write the figures of the days to redo as of ``now`` (flushes only)."""
    today = shanghai_day(now)
    first = None if full else _first_day_to_redo(session, today)
    found = measure(session, Window(first or EARLIEST, today))
    start = first or min((day for day, _, _ in found), default=today - ONE_DAY)
    figures = fill(days_between(min(start, today - ONE_DAY), today), METRICS, found)
    _write(session, figures, now)
    return len(figures)


def _first_day_to_redo(session: Session, today: date) -> date | None:
    """The last day rolled up or yesterday, whichever is earlier; None on an empty table."""
    latest = session.scalar(select(func.max(DailyMetric.day)))
    return None if latest is None else min(latest, today - ONE_DAY)


def _write(session: Session, figures: list[Figure], now: datetime) -> None:
    """Insert or replace the figures (one ``executemany`` of an upsert)."""
    if not figures:
        return
    rows = [{"day": day, "metric": metric, "value": value, "rolled_at": now}
            for day, metric, value in figures]
    session.execute(_upsert(session), rows)


def _upsert(session: Session) -> Insert:
    """``INSERT … ON CONFLICT (day, metric) DO UPDATE`` in the session's dialect."""
    if is_postgres(session):
        on_postgres = postgresql.insert(DailyMetric)
        return on_postgres.on_conflict_do_update(index_elements=KEY,
                                                 set_=_replaced(on_postgres.excluded))
    on_sqlite = sqlite.insert(DailyMetric)
    return on_sqlite.on_conflict_do_update(index_elements=KEY, set_=_replaced(on_sqlite.excluded))


def _replaced(excluded: ReadOnlyColumnCollection[str, Any]) -> dict[str, Any]:
    return {"value": excluded.value, "rolled_at": excluded.rolled_at}
