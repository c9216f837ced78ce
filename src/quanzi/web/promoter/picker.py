"""The promoter's product picker (选品中心): products on sale with 赚¥X per item, one tap
to add to the micro-shop (htmx swaps the button) or to open the one share sheet of the page,
which says what one sale earns."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from quanzi.core.db import read_session
from quanzi.referral import picker, shares, shops
from quanzi.web.kit.pages import CheckedForm, PageRoute, PromoterUser, redirect, render
from quanzi.web.kit.templating import absolute_url

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/promoter/picker")
def picker_page(request: Request, user: PromoterUser) -> Response:
    q = request.query_params.get("q", "")[:100].strip()
    with read_session() as session:
        page = picker.picker(session, user.id, q=q or None,
                             cursor=request.query_params.get("cursor") or None)
    next_url = ("/promoter/picker?" + urlencode({"q": q, "cursor": page.next_cursor})
                if page.next_cursor else None)
    return render(request, "promoter/picker.html", {"page": page, "q": q, "next_url": next_url})


@router.post("/promoter/picker/{product_id}/add")
def add_to_shop(request: Request, product_id: int, user: PromoterUser, _: CheckedForm) -> Response:
    """htmx: the row's button turns into 已在小铺; without htmx, back to the picker."""
    shops.add_item(promoter_user_id=user.id, product_id=product_id,
                   shop_name=f"{user.name}的小铺")
    if not request.headers.get("hx-request"):
        return redirect(request, "/promoter/picker")
    return render(request, "promoter/partials/in_shop.html", {"product_id": product_id})


@router.post("/promoter/picker/{product_id}/share")
def share_product(request: Request, product_id: int, user: PromoterUser,
                  _: CheckedForm) -> Response:
    """htmx: the share sheet of one product, with what one sale earns."""
    share = shares.create_share(promoter_user_id=user.id, product_id=product_id)
    with read_session() as session:
        earn = picker.earn_per_item(session, product_id)
    return render(request, "catalog/partials/share_sheet.html",
                  {"share": share, "link": absolute_url(share.url), "earn_fen": earn})
