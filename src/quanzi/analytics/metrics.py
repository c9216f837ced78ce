"""The daily metrics: one function each, computed by aggregate SQL in the database.

A metric is a function ``(window, day_of) -> Select`` whose rows are ``(day, value)``
for the Shanghai days of ``window`` that have anything to count (a missing day is 0),
named in :data:`METRICS`. Adding a metric is one function here plus its name there and
its field in ``queries.Figures`` (a unit test keeps the two lists equal); the rollup
and the dashboard's live figures pick it up. Each metric reads the rows of one
window of its timestamp column, so it uses that column's index where there is one.

- ``paid_orders``, ``gmv_fen``: orders by the day they were paid (``paid_at``), with
  their ``total_fen`` — whatever happened to them afterwards, as the dashboard always
  counted them.
- ``clicks``: share clicks that were not link previews; ``visitors``: distinct visitor
  ids among them.
- ``refunded_fen``: money sent back out of escrow (``payment_refunds``, every status) by
  the day the refund was recorded.
- ``new_buyers``: buyers whose first paid order was paid that day.
- ``new_accounts``: accounts opened that day (not yet only those opened through a share:
  accounts do not record that).
"""

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from quanzi.accounts.models import User
from quanzi.analytics.days import Figure, Window
from quanzi.analytics.sql import DayOf, day_of
from quanzi.orders.models import Order
from quanzi.payments.models import PaymentRefund
from quanzi.referral.models import Click

Metric = Callable[[Window, DayOf], Select[date, int]]


def _per_day(at: SQLColumnExpression[datetime | None], value: ColumnElement[int],
             window: Window, day: DayOf, *where: ColumnElement[bool]) -> Select[date, int]:
    """``value`` per Shanghai day of ``at``, over the rows with ``at`` in ``window``."""
    bucket = day(at)
    return (select(bucket.label("day"), value.label("value"))
            .where(at >= window.since, at < window.until, *where).group_by(bucket))


def _real_click() -> ColumnElement[bool]:
    return Click.is_preview.is_(False)


def paid_orders(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(Order.paid_at, func.count(), window, day)


def gmv_fen(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(Order.paid_at, func.sum(Order.total_fen), window, day)


def clicks(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(Click.created_at, func.count(), window, day, _real_click())


def visitors(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(Click.created_at, func.count(Click.visitor_id.distinct()), window, day,
                    _real_click(), Click.visitor_id.is_not(None))


def refunded_fen(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(PaymentRefund.created_at, func.sum(PaymentRefund.amount_fen), window, day)


def new_accounts(window: Window, day: DayOf) -> Select[date, int]:
    return _per_day(User.created_at, func.count(), window, day)


def new_buyers(window: Window, day: DayOf) -> Select[date, int]:
    """Buyers paying in ``window`` who had paid nothing before it, by their first payment."""
    earlier = aliased(Order)
    paid_before = exists().where(earlier.buyer_id == Order.buyer_id,
                                 earlier.paid_at < window.since)
    firsts = (select(func.min(Order.paid_at).label("first_paid"))
              .where(and_(Order.paid_at >= window.since, Order.paid_at < window.until),
                     ~paid_before)
              .group_by(Order.buyer_id).subquery())
    bucket = day(firsts.c.first_paid)
    return select(bucket.label("day"), func.count().label("value")).group_by(bucket)


METRICS: dict[str, Metric] = {
    "paid_orders": paid_orders,
    "gmv_fen": gmv_fen,
    "clicks": clicks,
    "visitors": visitors,
    "refunded_fen": refunded_fen,
    "new_buyers": new_buyers,
    "new_accounts": new_accounts,
}


def measure(session: Session, window: Window) -> list[Figure]:
    """Every metric over ``window`` in one statement (a ``UNION ALL`` of the aggregates):
    ``(day, metric, value)`` for the days that have something to count, none for the rest.
    Reads only; the caller chooses the transaction."""
    day = day_of(session.get_bind().dialect.name)
    parts = []
    for name, metric in METRICS.items():
        found = metric(window, day).subquery()
        parts.append(select(found.c.day, literal(name).label("metric"), found.c.value))
    rows = session.execute(union_all(*parts)).all()
    return [(_as_date(d), name, int(value or 0)) for d, name, value in rows]


def _as_date(value: date | str) -> date:
    """A day as the driver returns it from a ``UNION``: a date, or ISO text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)
