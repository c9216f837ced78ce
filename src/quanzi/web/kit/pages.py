"""What every page shares: rendering with the request's language and user, the error
pages, the checked form, and the role guards.

Routers of the pages use ``route_class=PageRoute``: a domain error raised by a service
(or a guard) becomes the matching HTML error page, a failed CSRF check the 403 page, and
nothing changes, as the service's transaction was rolled back.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.types import Receive, Scope, Send

from quanzi.accounts.identity import Identity
from quanzi.core.errors import Forbidden, QuanziError, Unauthenticated
from quanzi.core.http import InputRefused
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit import session as web_session
from quanzi.web.kit.templating import templates

MAX_FORM_FIELDS = 200
# a page names the signed-in user and carries a CSRF token: no shared cache keeps it, and
# the browser asks again each time rather than showing an old one
PAGE_CACHE_CONTROL = "private, no-cache"


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render ``template`` (the user, language, CSRF token come from the context processor),
    with ``Cache-Control: private, no-cache``."""
    response = templates.TemplateResponse(request, template, context or {},
                                          status_code=status_code,
                                          headers={"cache-control": PAGE_CACHE_CONTROL})
    web_session.finish(request, response)
    return response


def redirect(request: Request, url: str) -> Response:
    """303 to ``url`` (an ``HX-Redirect`` for htmx requests)."""
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return web_session.finish(request, response)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "errors/error.html", {"status": status, "message": message},
                  status_code=status)


NUL_REFUSED = "提交的内容里有无效的字符。"


def nul_refused_page(request: Request) -> HTMLResponse:
    """The 422 page for a request that carried a NUL character (``api/nul_guard.py``)."""
    return error_page(request, 422, i18n.gettext_for(i18n.negotiate(request))(NUL_REFUSED))


async def refuse_nul(scope: Scope, receive: Receive, send: Send) -> None:
    """The NUL guard's answer to a page request: the 422 error page in its language."""
    request = Request(scope, receive)
    response = await run_in_threadpool(nul_refused_page, request)  # it may read the user
    await response(scope, receive, send)


class PageRoute(APIRoute):
    """An APIRoute whose errors are HTML pages (see the module docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except web_session.CsrfRejected:
                return error_page(request, 403, "页面已过期或来源不明，请刷新后重试。")
            except Unauthenticated:
                return redirect(request, "/login?next=" + quote(_here(request)))
            except QuanziError as exc:
                return error_page(request, exc.status,
                                  refusals.say(exc, i18n.negotiate(request)))
            except ValidationError as exc:
                return error_page(request, 422, refusals.invalid(exc, i18n.negotiate(request)))
            except InputRefused:  # a NUL in the form (api/nul_guard.py)
                return nul_refused_page(request)

        return route


def _here(request: Request) -> str:
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return request.headers.get("referer", "/").split(request.url.netloc, 1)[-1] or "/"


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token is checked (else :class:`CsrfRejected`)."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    value = form.get(web_session.CSRF_FIELD)
    web_session.check_csrf(request, value if isinstance(value, str) else None)
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def optional_user(request: Request) -> Identity | None:
    return web_session.page_user(request)


def signed_in(request: Request) -> Identity:
    user = web_session.page_user(request)
    if user is None:
        raise Unauthenticated("sign in first")
    return user


def role(*roles: str) -> Callable[[Request], Identity]:
    """A guard letting through signed-in users holding any of ``roles`` (else the 403 page)."""

    def _check(request: Request) -> Identity:
        user = signed_in(request)
        if not user.has(*roles):
            raise Forbidden("这个页面需要相应的角色。")
        return user

    return _check


PageUser = Annotated[Identity | None, Depends(optional_user)]
SignedIn = Annotated[Identity, Depends(signed_in)]
PromoterUser = Annotated[Identity, Depends(role("promoter"))]
EarnerUser = Annotated[Identity, Depends(role("promoter", "leader"))]  # has a wallet
SupplierUser = Annotated[Identity, Depends(role("supplier", "operator"))]
OperatorUser = Annotated[Identity, Depends(role("operator"))]


def text(form: FormData, name: str, limit: int = 500) -> str:
    """A text field of ``form``, stripped and cut at ``limit`` ('' when missing)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def number(form: FormData, name: str, default: int = 0) -> int:
    """An integer field (bounded to what every backend holds), else ``default``."""
    value = text(form, name, 12)
    if value.lstrip("-").isdecimal() and abs(int(value)) <= 2_147_483_647:
        return int(value)
    return default
