"""CSV export of the operator's order list (``/operator/orders.csv``): the same tab and
search as ``/operator/orders``, every page of it up to :data:`MAX_ROWS`, newest first.

UTF-8 with a BOM so Excel opens the Chinese right; money in yuan with two decimals; a cell
that starts with ``= + - @`` gets a leading ``'`` so a spreadsheet does not run it.
"""

import csv
import io
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.core.db import read_session
from quanzi.core.money import plain_yuan
from quanzi.web.kit import i18n
from quanzi.web.kit.labels import LABELS
from quanzi.web.kit.pages import OperatorUser, PageRoute
from quanzi.web.operator.order_lists import Row, _page, _rows

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MAX_ROWS = 5000
_when = i18n.datetime_formatter(i18n.DEFAULT)
HEADER = ["订单号", "状态", "金额（元）", "已退款（元）", "买家", "供货商", "商品", "下单时间",
          "支付时间", "快递公司", "运单号"]


@router.get("/operator/orders.csv")
def export_orders(request: Request, user: OperatorUser, status: str = "", q: str = "") -> Response:
    with read_session() as session:
        rows = list(_all_rows(session, user, status=status, q=q.strip()[:40]))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(_cells(row) for row in rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="orders.csv"'})


def _all_rows(session: Session, user: OperatorUser, *, status: str, q: str) -> Iterator[Row]:
    cursor, count = "", 0
    while count < MAX_ROWS:
        page = _page(session, user, scope="all", status=status, q=q, cursor=cursor, limit=100)
        for row in _rows(session, page.items)[:MAX_ROWS - count]:
            count += 1
            yield row
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def _cells(row: Row) -> list[str]:
    order = row.order
    titles = "；".join(f"{line.title} {line.spec} × {line.quantity}" for line in order.lines)
    status = "group_not_formed" if order.hold and order.status == "paid" else order.status
    cells = [str(order.id), LABELS.get(status, status), plain_yuan(order.total_fen),
             plain_yuan(order.refunded_fen), row.buyer, row.supplier, titles,
             _when(order.created_at), _when(order.paid_at),
             order.carrier or "", order.tracking_no or ""]
    return [_safe(cell) for cell in cells]


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
