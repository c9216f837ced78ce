"""The operator dashboard's numbers per day and their server-rendered SVG bar charts.

No analytics read model exists yet, so the daily series are read here from the orders'
``paid_at`` and the clicks' ``created_at`` (read only), bucketed by day in Asia/Shanghai.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.orders.models import Order
from quanzi.referral.models import Click
from quanzi.web.i18n import SHANGHAI

MAX_ROWS = 200_000
WIDTH, HEIGHT, PAD = 340, 140, 18


@dataclass(frozen=True)
class Daily:
    days: list[date]
    orders: list[int]
    gmv_fen: list[int]
    clicks: list[int]


def daily(session: Session, now: datetime, days: int = 14) -> Daily:
    """Paid orders, their GMV and share clicks per Shanghai day for the last ``days`` days."""
    today = now.astimezone(SHANGHAI).date()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    since = datetime.combine(span[0], datetime.min.time(), SHANGHAI)
    index = {d: i for i, d in enumerate(span)}
    orders, gmv, clicks = [0] * days, [0] * days, [0] * days
    for paid_at, total in session.execute(
            select(Order.paid_at, Order.total_fen).where(Order.paid_at >= since)
            .limit(MAX_ROWS)):
        i = index.get(paid_at.astimezone(SHANGHAI).date())
        if i is not None:
            orders[i] += 1
            gmv[i] += total
    for (created_at,) in session.execute(
            select(Click.created_at).where(Click.created_at >= since,
                                           Click.is_preview.is_(False)).limit(MAX_ROWS)):
        i = index.get(created_at.astimezone(SHANGHAI).date())
        if i is not None:
            clicks[i] += 1
    return Daily(span, orders, gmv, clicks)


def bar_chart(title: str, days: list[date], values: list[int], total: str) -> Markup:
    """An accessible SVG bar chart (fits its container's width) of ``values`` per day."""
    top = max(values, default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for i, (day, value) in enumerate(zip(days, values, strict=True)):
        height = (HEIGHT - 2 * PAD) * value / top
        x, y = PAD + i * slot + slot * 0.15, HEIGHT - PAD - height
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{height:.1f}" rx="2"><title>{day:%m-%d}: {value}</title></rect>')
    labels = (f'<text x="{PAD}" y="{HEIGHT - 4}">{days[0]:%m-%d}</text>'
              f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" text-anchor="end">{days[-1]:%m-%d}</text>'
              if days else "")
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<text x="{PAD}" y="12" class="chart-title">{escape(title)} · {escape(total)}</text>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" />'
        f'{"".join(bars)}{labels}</svg>')
