"""The dashboard's read model: figures per Shanghai day, read from ``daily_metrics``.

``daily`` and ``dashboard`` read only the rollup table (at most ``days`` × metrics rows),
never the orders or the clicks, so a dashboard costs the same however much was sold —
except that today's figures are computed live, with one aggregate statement over
today's rows (``metrics.measure``), when the rollup is older than :data:`FRESH` (no
worker running, as under ``make run``). :class:`Dashboard` says which: the page states
when the figures were rolled up, and whether today's are live.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.analytics.days import Figure, Window, fill, last_days, shanghai_day
from quanzi.analytics.metrics import METRICS, measure
from quanzi.analytics.models import DailyMetric

FRESH = timedelta(minutes=1)  # the worker rolls up every minute


@dataclass(frozen=True)
class Daily:
    """The dashboard's charts: paid orders, their GMV and share clicks per day, oldest first."""

    days: list[date]
    orders: list[int]
    gmv_fen: list[int]
    clicks: list[int]


@dataclass(frozen=True)
class Figures:
    """Every metric of one Shanghai day (``analytics.metrics`` defines each)."""

    day: date
    paid_orders: int
    gmv_fen: int
    clicks: int
    visitors: int
    refunded_fen: int
    new_buyers: int
    new_accounts: int


METRIC_FIELDS = tuple(field.name for field in fields(Figures))[1:]  # the names in METRICS


@dataclass(frozen=True)
class Dashboard:
    """The charts, today's and yesterday's figures, and how fresh they are: ``rolled_at``
    is when the rollup last wrote (None: never), ``live_today`` that today's figures were
    computed from the source tables because the rollup was older than a minute."""

    daily: Daily
    today: Figures
    yesterday: Figures
    rolled_at: datetime | None
    live_today: bool


def daily(session: Session, now: datetime, days: int = 14) -> Daily:
    """Paid orders, their GMV and share clicks per Shanghai day for the last ``days`` days."""
    return dashboard(session, now, days).daily


def dashboard(session: Session, now: datetime, days: int = 14) -> Dashboard:
    """The read model of the operator's dashboard as of ``now``, charts over the last
    ``days`` (≥ 1) days (reads only)."""
    span = last_days(shanghai_day(now), max(days, 2))
    stored, rolled_at = _stored(session, span[0], span[-1])
    live = rolled_at is None or now - rolled_at > FRESH
    if live:
        today = Window(span[-1], span[-1])
        stored = [f for f in stored if f[0] != today.first] + measure(session, today)
    by_day = _by_day(fill(span, METRICS, stored))
    return Dashboard(daily=_charts([by_day[day] for day in span[-days:]]),
                     today=by_day[span[-1]], yesterday=by_day[span[-2]],
                     rolled_at=rolled_at, live_today=live)


def _charts(figures: list[Figures]) -> Daily:
    return Daily([f.day for f in figures], [f.paid_orders for f in figures],
                 [f.gmv_fen for f in figures], [f.clicks for f in figures])


def _stored(session: Session, first: date, last: date) -> tuple[list[Figure], datetime | None]:
    """The rolled-up figures of ``first`` … ``last``, and when the latest was written."""
    rows = session.execute(select(DailyMetric.day, DailyMetric.metric, DailyMetric.value,
                                  DailyMetric.rolled_at)
                           .where(DailyMetric.day >= first, DailyMetric.day <= last)).all()
    figures = [(day, metric, value) for day, metric, value, _ in rows]
    return figures, max((rolled for *_, rolled in rows), default=None)


def _by_day(figures: Iterable[Figure]) -> Mapping[date, Figures]:
    values: dict[date, dict[str, int]] = {}
    for day, metric, value in figures:
        values.setdefault(day, {})[metric] = value
    return {day: Figures(day, *(named[name] for name in METRIC_FIELDS))
            for day, named in values.items()}

