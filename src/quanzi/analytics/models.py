"""The analytics read model's table: one figure per Shanghai day and metric.

Written only by ``analytics.rollup`` (the worker's sweep), read by ``analytics.queries``.
Every row can be recomputed from the other domains' tables at any time, so nothing is
lost by deleting rows: the next full rollup writes them again.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from quanzi.core.db import Base, UTCDateTime


class DailyMetric(Base):
    """``value`` of ``metric`` (a name in ``analytics.metrics.METRICS``) on Shanghai ``day``,
    as computed by the rollup at ``rolled_at``. (day, metric) is the primary key: one
    figure per pair, replaced by each rollup of that day."""

    __tablename__ = "daily_metrics"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime())
