"""``/paste``: open a friend's share token (口令) pasted from a chat app that blocks links.

The text goes to ``shares.resolve`` (the service behind ``POST /api/v1/shares/resolve``),
which records the click on channel ``token``; the answer then carries the same visitor and
attribution cookies as the share link ``/s/{code}`` (``redirect.click_cookies``), so an
order placed afterwards is credited to the sharer exactly as after a link click.
"""

from fastapi import APIRouter, Request, Response

from quanzi.core.errors import NotFound
from quanzi.referral import redirect as share_link
from quanzi.referral import shares
from quanzi.web.kit.pages import CheckedForm, PageRoute, redirect, render, text
from quanzi.web.kit.refusals import say

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/paste"
MAX_TEXT = 2000  # as ResolveIn
PROBLEMS = {"no_share_code": "没有找到口令，请粘贴朋友发来的完整内容（如 ￥K7dQ2mXa￥）。",
            "unknown_share": "这个口令不存在或已失效。"}


@router.get(PAGE)
def paste_page(request: Request) -> Response:
    return _page(request, pasted="", problem=None)


def _page(request: Request, *, pasted: str, problem: str | None,
          status_code: int = 200) -> Response:
    return render(request, "referral/paste.html", {"pasted": pasted, "problem": problem},
                  status_code=status_code)


@router.post(PAGE)
def open_token(request: Request, form: CheckedForm) -> Response:
    """Resolve the pasted text and go to the share's page; a text without a known share
    code shows the form again (422 no code, 404 unknown code) and records no click."""
    pasted = text(form, "text", MAX_TEXT)
    if not pasted:
        return _page(request, pasted="", problem="请先粘贴口令。", status_code=422)
    visitor, new_visitor = share_link.visitor_of(request.headers.get("cookie", "")
                                                 .encode("latin-1", "replace"))
    try:
        found = shares.resolve(text=pasted, visitor_id=visitor,
                               user_agent=request.headers.get("user-agent", ""),
                               referrer=request.headers.get("referer"),
                               ip=request.client.host if request.client else None)
    except NotFound as exc:
        status = 422 if exc.code == "no_share_code" else 404
        return _page(request, pasted=pasted, problem=PROBLEMS.get(exc.code) or say(exc),
                     status_code=status)
    response = redirect(request, found.target_url)
    for name, value in share_link.click_cookies(found.code, visitor, new_visitor,
                                                share_link.window_seconds()):
        response.headers.append(name.decode(), value.decode("latin-1"))
    return response
