"""Server-rendered SVG bar charts of the operator dashboard's figures per day.

The figures themselves come from the analytics read model (``analytics.queries``).
"""

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 340, 140, 18


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
