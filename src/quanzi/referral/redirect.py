"""``GET /s/{code}``: the share redirect, a plain Starlette route on the hot path.

It answers from an in-process LRU cache of code → target (shares are immutable; a miss
reads the database in a worker thread) and a cached attribution window (``RULES_TTL_S``,
dropped in every process when the rules change: ``core.broadcast``), sets the visitor
cookie (``qz_vid``, one year) and the attribution cookie (``qz_share``, max-age = the
attribution window; both HttpOnly, SameSite=Lax, and Secure in production), hands the
click to ``clicks.buffer`` and answers 302 without waiting for any write. Link-preview
crawlers and ``HEAD`` requests are stored as previews (not clicks) and get no cookies.
An unknown or malformed code gets a friendly HTML 404 page.
"""

import secrets
import time
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from quanzi.core import broadcast, clock
from quanzi.core.bare_route import bare_route
from quanzi.core.config import get_settings
from quanzi.core.db import on_database_switch, read_session
from quanzi.referral import clicks, codes, domain, services, shares

VISITOR_COOKIE = "qz_vid"
SHARE_COOKIE = "qz_share"
VISITOR_MAX_AGE = 365 * 24 * 3600
CACHE_SIZE = 50_000
RULES_TTL_S = 30.0

_cache: OrderedDict[str, tuple[int, str]] = OrderedDict()
_window: tuple[float, int] | None = None  # (monotonic time read, window in seconds)


def _remember(code: str, value: tuple[int, str]) -> None:
    _cache[code] = value
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


def window_seconds() -> int:
    """The attribution window in seconds (the share cookie's max-age), read from the rules now."""
    with read_session() as session:
        return int(services.load_rules(session).window.total_seconds())


async def _window_seconds() -> int:
    global _window
    if _window is None or time.monotonic() - _window[0] > RULES_TTL_S:
        _window = (time.monotonic(), await run_in_threadpool(window_seconds))
    return _window[1]


def _on_switch() -> None:
    forget_rules()
    _cache.clear()


def forget_rules() -> None:
    """Drop the cached window (called when the operator changes the rules)."""
    global _window
    _window = None


def not_found_page() -> HTMLResponse:
    body = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>链接已失效 · 圈子</title></head><body style=\"font-family:sans-serif;"
            "text-align:center;padding:3em 1em\"><h1>这个分享链接不存在或已失效</h1>"
            "<p>This share link does not exist or has expired.</p>"
            "<p><a href=\"/\">去首页逛逛 / Go to the home page</a></p></body></html>")
    return HTMLResponse(body, status_code=404)


_VISITOR_PREFIX = f"{VISITOR_COOKIE}=".encode()


def visitor_of(cookie_header: bytes) -> tuple[str, bool]:
    """The visitor id from the ``qz_vid`` cookie, or a new one (True when new)."""
    for part in cookie_header.split(b";"):
        part = part.strip()
        if part.startswith(_VISITOR_PREFIX):
            current = part[len(_VISITOR_PREFIX):].decode("latin-1")
            if 8 <= len(current) <= 32 and current.replace("-", "").replace("_", "").isalnum():
                return current, False
    return secrets.token_urlsafe(12), True


async def share_redirect(scope: Scope, receive: Receive, send: Send) -> None:
    """The redirect as a bare ASGI endpoint: no request or response objects are built on
    the way (the hottest path there is; the click itself is written later, in batches)."""
    code = scope["path_params"]["code"]
    entry = _cache.get(code)
    if entry is None:
        target = (await run_in_threadpool(shares.lookup, code)
                  if codes.looks_like_code(code) else None)
        if target is None:
            await not_found_page()(scope, receive, send)
            return
        entry = (target.share_id, target.url)
        _remember(code, entry)
    else:
        _cache.move_to_end(code)
    share_id, url = entry
    headers = dict(scope["headers"])
    user_agent = headers.get(b"user-agent", b"").decode("latin-1")
    referrer = headers.get(b"referer")
    preview = scope["method"] == "HEAD" or domain.is_preview(user_agent)
    visitor, new_visitor = visitor_of(headers.get(b"cookie", b""))
    client = scope.get("client")
    clicks.buffer.add(clicks.click_row(
        share_id=share_id, visitor_id=None if preview else visitor,
        channel=domain.channel_for(user_agent),
        referrer=referrer.decode("latin-1") if referrer else None,
        ip=client[0] if client else None, user_agent=user_agent, is_preview=preview,
        at=clock.now()))
    answer = [(b"location", url.encode()), (b"cache-control", b"no-store"),
              (b"content-length", b"0")]
    if not preview:
        answer += click_cookies(code, visitor, new_visitor, await _window_seconds())
    await send({"type": "http.response.start", "status": 302, "headers": answer})
    await send({"type": "http.response.body", "body": b""})


def click_cookies(code: str, visitor: str, new_visitor: bool,
                  window_s: int) -> list[tuple[bytes, bytes]]:
    """The ``set-cookie`` headers of a click through share ``code``: a new visitor's id (one
    year) and the attribution (the window). A pasted token (``web/shop/paste.py``) sends the same
    ones, so it attributes the later order exactly as a link click does."""
    found = [_cookie(VISITOR_COOKIE, visitor, VISITOR_MAX_AGE)] if new_visitor else []
    return [*found, _cookie(SHARE_COOKIE, code, window_s)]


def _cookie(name: str, value: str, max_age: int) -> tuple[bytes, bytes]:
    """One ``set-cookie`` header: HttpOnly, SameSite=Lax, and Secure in production."""
    secure = "; Secure" if get_settings().secure_cookies else ""
    return (b"set-cookie", f"{name}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax"
                           f"{secure}".encode("latin-1"))


async def noop_redirect(_: Request) -> Response:
    """The bench's baseline: the cheapest 302 this server can answer."""
    return Response(status_code=302, headers={"location": "/"})


def routes() -> list[BaseRoute]:
    """The routes to put first in the app (``/bench/noop-redirect`` only with QUANZI_BENCH=1)."""
    found: list[BaseRoute] = [bare_route("/s/{code}", share_redirect, ["GET", "HEAD"])]
    if get_settings().bench:
        found.append(Route("/bench/noop-redirect", noop_redirect, methods=["GET"]))
    return found


def plug() -> None:
    """Forget the cached window when the rules change in any process or news of that may
    have been missed (``core.broadcast``), and everything on a switch to another database
    (``quanzi.wiring.wire``). Share targets never change, so no news concerns them."""
    broadcast.listen(services.RULES_TOPIC, _rules_changed)
    broadcast.on_gap(forget_rules)
    on_database_switch(_on_switch)


def _rules_changed(_: broadcast.Data) -> None:
    forget_rules()
