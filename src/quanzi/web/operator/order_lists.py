"""Order lists for the consoles: every order (operators, ``/operator/orders``) and a
supplier's order history in every state (``/supplier/orders``; operators see every
supplier's, as on ``/supplier``).

Both pages read ``orders.queries.list_orders`` — the query behind
``GET /api/v1/orders`` — and render the same partial, ``partials/order_rows.html``:
status tabs, one row per order, and a 下一页 link carrying the query's ``next_cursor``.
A status the orders domain does not have, a cursor not from this list, or a bad
``limit`` is a 422 page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.accounts import services as accounts
from quanzi.accounts.identity import Identity
from quanzi.catalog import queries as catalog
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput
from quanzi.orders import queries
from quanzi.orders.domain import STATUSES
from quanzi.orders.schemas import OrderOut
from quanzi.web.kit.pages import OperatorUser, PageRoute, SupplierUser, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE_SIZE = 20
MAX_LIMIT = 100
TABS = ("", *STATUSES)  # "" is 全部


@dataclass(frozen=True)
class Row:
    """One order as the lists show it, with the names behind its ids."""

    order: OrderOut
    buyer: str
    supplier: str


@dataclass(frozen=True)
class OrderList:
    """What ``partials/order_rows.html`` needs: the rows and the links around them."""

    path: str
    status: str
    tabs: list[tuple[str, str]]  # (status, url)
    rows: list[Row]
    next_url: str | None
    show_supplier: bool


def order_list(session: Session, user: Identity, *, path: str, scope: str, status: str,
               cursor: str, limit: str) -> OrderList:
    """One page of ``scope``'s orders (``all`` or ``supplier``) in ``status`` ('' for any).

    Raises InvalidInput (422) for an unknown status, a bad limit or a foreign cursor.
    """
    if status not in TABS:
        raise InvalidInput("没有这个订单状态。", code="bad_status")
    size = _limit(limit)
    try:
        page = queries.list_orders(session, user, scope=scope, status=status or None,
                                   cursor=cursor[:40] or None, limit=size)
    except InvalidInput as exc:
        raise InvalidInput("翻页参数无效，请从第一页重新开始。", code=exc.code) from exc
    kept = {"limit": str(size)} if size != PAGE_SIZE else {}
    next_url = (_url(path, status=status, **kept, cursor=page.next_cursor)
                if page.next_cursor else None)
    return OrderList(path=path, status=status,
                     tabs=[(tab, _url(path, status=tab, **kept)) for tab in TABS],
                     rows=_rows(session, page.items), next_url=next_url,
                     show_supplier=scope == "all")


def _limit(value: str) -> int:
    if not value:
        return PAGE_SIZE
    if value.isdecimal() and len(value) <= 3 and 1 <= int(value) <= MAX_LIMIT:
        return int(value)
    raise InvalidInput(f"每页条数须在 1–{MAX_LIMIT} 之间。", code="bad_limit")


def _url(path: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def _rows(session: Session, orders: list[OrderOut]) -> list[Row]:
    """The orders with their buyers' and suppliers' names."""
    suppliers = {s.id: s.name for s in catalog.list_suppliers(session)}
    buyers = accounts.user_names(session, [o.buyer_id for o in orders])
    return [Row(o, buyers.get(o.buyer_id, f"#{o.buyer_id}"),
                suppliers.get(o.supplier_id, f"#{o.supplier_id}")) for o in orders]


@router.get("/operator/orders")
def all_orders(request: Request, user: OperatorUser, status: str = "", cursor: str = "",
               limit: str = "") -> Response:
    with read_session() as session:
        listing = order_list(session, user, path="/operator/orders", scope="all",
                             status=status, cursor=cursor, limit=limit)
    return render(request, "operator/orders.html", {"listing": listing})


@router.get("/supplier/orders")
def supplier_orders(request: Request, user: SupplierUser, status: str = "", cursor: str = "",
                    limit: str = "") -> Response:
    scope = "all" if user.is_operator else "supplier"
    with read_session() as session:
        listing = order_list(session, user, path="/supplier/orders", scope=scope,
                             status=status, cursor=cursor, limit=limit)
    return render(request, "supplier/orders.html", {"listing": listing})
