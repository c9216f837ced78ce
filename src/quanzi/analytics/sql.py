"""The Shanghai day of a timestamp column, in SQL: written once per dialect.

``day_of(dialect)(Order.paid_at)`` is the SQL twin of ``days.shanghai_day``: the stored
UTC instant plus eight hours, truncated to a date (China has no daylight saving). The
expression holds no bound parameters, so a query may repeat it in ``GROUP BY`` and
PostgreSQL sees the same expression twice.

- SQLite stores naive UTC text (``core.db.UTCDateTime``): ``date(at, '+8 hours')``.
- PostgreSQL stores ``timestamptz``: ``CAST((at AT TIME ZONE 'UTC') + INTERVAL '8 hours'
  AS DATE)``, independent of the session's time zone.
"""

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import ColumnElement, Date, SQLColumnExpression, cast, func, literal_column

DayOf = Callable[[SQLColumnExpression[datetime | None]], ColumnElement[date]]


def _sqlite_day(at: SQLColumnExpression[datetime | None]) -> ColumnElement[date]:
    return func.date(at, literal_column("'+8 hours'"), type_=Date)


def _postgres_day(at: SQLColumnExpression[datetime | None]) -> ColumnElement[date]:
    utc = func.timezone(literal_column("'UTC'"), at)
    return cast(utc + literal_column("INTERVAL '8 hours'"), Date)


DIALECTS: dict[str, DayOf] = {"sqlite": _sqlite_day, "postgresql": _postgres_day}


def day_of(dialect: str) -> DayOf:
    """The Shanghai-day expression builder for ``dialect`` ("sqlite" or "postgresql");
    any other dialect is a ``ValueError``."""
    try:
        return DIALECTS[dialect]
    except KeyError:
        raise ValueError(f"no Shanghai day for the {dialect} dialect") from None
