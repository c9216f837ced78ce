"""The micro-shop page ``/shop/{code}`` (with Open Graph tags for link previews)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.referral import shops
from quanzi.referral.redirect import SHARE_COOKIE
from quanzi.web.kit.pages import PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
SHOP_COOKIE_MAX_AGE = 7 * 24 * 3600


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "errors/404.html", {"message": "这个小铺不存在或已关闭。"},
                  status_code=404)


@router.get("/shop/{code}")
def shop_page(request: Request, code: str) -> Response:
    """The shop's on-sale products. Sets ``qz_share`` to the shop's share when the visitor
    has no attribution yet, so purchases from the shop are attributed to its promoter."""
    with read_session() as session:
        page = shops.shop_page(session, code[:32])
    if page is None:
        return _not_found(request)
    first_image = next((item.image for item in page.shop.items if item.image), None)
    response = render(request, "referral/shop.html", {
        "shop": page.shop, "owner": page.owner_name,
        "og_image": page.shop.avatar_url or first_image})
    if page.shop.share_code and SHARE_COOKIE not in request.cookies:
        response.set_cookie(SHARE_COOKIE, page.shop.share_code, max_age=SHOP_COOKIE_MAX_AGE,
                            httponly=True, samesite="lax", secure=get_settings().secure_cookies)
    return response
