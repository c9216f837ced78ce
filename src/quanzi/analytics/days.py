"""Shanghai days, as the dashboard counts them: pure functions, no session, no clock.

China keeps UTC+8 all year (no daylight saving), so the Shanghai day of an instant is
the instant plus eight hours, truncated to a date, and a Shanghai day begins at 16:00 UTC
of the day before. The SQL twin of :func:`shanghai_day` is ``analytics.sql.day_of``.

>>> shanghai_day(datetime(2025, 3, 1, 15, 59, 59, tzinfo=UTC))
datetime.date(2025, 3, 1)
>>> shanghai_day(datetime(2025, 3, 1, 16, 0, tzinfo=UTC))
datetime.date(2025, 3, 2)
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

OFFSET = timedelta(hours=8)
ONE_DAY = timedelta(days=1)

Figure = tuple[date, str, int]  # (day, metric, value)


def shanghai_day(at: datetime) -> date:
    """The Shanghai date of an aware instant."""
    return (at.astimezone(UTC) + OFFSET).date()


def day_start(day: date) -> datetime:
    """The UTC instant at which Shanghai's ``day`` begins (00:00 in Shanghai)."""
    return datetime.combine(day, time(), UTC) - OFFSET


def days_between(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, both included (empty when first > last)."""
    return [first + ONE_DAY * n for n in range((last - first).days + 1)]


def last_days(today: date, count: int) -> list[date]:
    """The ``count`` days ending with ``today``, oldest first."""
    return days_between(today - ONE_DAY * (count - 1), today)


@dataclass(frozen=True)
class Window:
    """The Shanghai days ``first`` … ``last`` as a half-open UTC range [since, until)."""

    first: date
    last: date

    @property
    def since(self) -> datetime:
        return day_start(self.first)

    @property
    def until(self) -> datetime:
        return day_start(self.last + ONE_DAY)


def fill(days: Iterable[date], metrics: Iterable[str], found: Iterable[Figure]) -> list[Figure]:
    """One figure per day and metric: the value found, else 0 (a day without orders has 0
    paid orders, and writing the 0 overwrites a figure that is no longer true). Found
    figures of other days or metrics are left out."""
    values = {(day, metric): value for day, metric, value in found}
    return [(day, metric, values.get((day, metric), 0)) for day in days for metric in metrics]
