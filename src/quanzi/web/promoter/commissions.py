"""The promoter's commissions one by one (佣金明细, ``/promoter/commissions``): the list
``GET /api/v1/me/commissions`` gives, with state tabs and 下一页.

Each row is one accrual for one order line: the order, the level (一级: I shared; 二级:
someone I invited shared), the amount as accrued and after refunds, the state and time.
A state the list does not have or a cursor that is not an id is a 422 page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput
from quanzi.referral import queries
from quanzi.referral.schemas import CommissionOut
from quanzi.web.kit.pages import PageRoute, PromoterUser, render
from quanzi.web.promoter.centre import COMMISSION_STATES

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/promoter/commissions"
PAGE_SIZE = 20
TABS = ("", *COMMISSION_STATES)  # "" is 全部


@dataclass(frozen=True)
class CommissionList:
    status: str
    tabs: list[tuple[str, str]]  # (state, url)
    items: list[CommissionOut]
    next_url: str | None


@router.get(PAGE)
def commissions_page(request: Request, user: PromoterUser, status: str = "",
                     cursor: str = "") -> Response:
    if status not in TABS:
        raise InvalidInput("没有这个佣金状态。", code="bad_status")
    if cursor and not (cursor.isdecimal() and len(cursor) <= 10):
        raise InvalidInput("翻页参数无效，请从第一页重新开始。", code="bad_cursor")
    with read_session() as session:
        page = queries.my_commissions(session, user.id, status=status or None,
                                      before_id=int(cursor) if cursor else None,
                                      limit=PAGE_SIZE)
    listing = CommissionList(
        status=status, tabs=[(tab, _url(status=tab)) for tab in TABS], items=page.items,
        next_url=_url(status=status, cursor=page.next_cursor) if page.next_cursor else None)
    return render(request, "promoter/commissions.html", {"listing": listing})


def _url(**params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{PAGE}?{query}" if query else PAGE
