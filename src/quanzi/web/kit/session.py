"""The page session: the API's opaque token in the ``qz_session`` cookie, and CSRF tokens.

Signing in stores the token from :func:`quanzi.accounts.services.login` in an HttpOnly,
SameSite=Lax cookie (Secure in production). A visitor who is not signed in gets a random
``qz_anon`` cookie instead, so the sign-in and register forms are protected too. The CSRF
token is an HMAC of that cookie value under ``derive_key("csrf", secret)``: forms carry it
in the ``csrf_token`` field, htmx requests in the ``X-CSRF-Token`` header.
"""

import hmac
import secrets

from fastapi import Request, Response

from quanzi.accounts.identity import Identity
from quanzi.accounts.services import signed_in_user
from quanzi.core.config import get_settings
from quanzi.core.security import derive_key, sign

SESSION_COOKIE = "qz_session"
ANON_COOKIE = "qz_anon"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_MAX_TOKEN = 128


class CsrfRejected(Exception):
    """A state-changing request without the right CSRF token (a 403 page)."""


def session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    return token if 0 < len(token) <= _MAX_TOKEN else None


def page_user(request: Request) -> Identity | None:
    """The signed-in user of this request (looked up once per request), or None."""
    if not hasattr(request.state, "page_user"):
        request.state.page_user = _lookup(session_token(request))
    user: Identity | None = request.state.page_user
    return user


def _lookup(token: str | None) -> Identity | None:
    return signed_in_user(token)


def _csrf_seed(request: Request) -> str:
    """What the CSRF token is derived from: the session token, else the anonymous cookie."""
    seed = session_token(request) if page_user(request) else None
    if seed is None:
        seed = request.cookies.get(ANON_COOKIE, "")[:_MAX_TOKEN]
        if not seed:
            seed = getattr(request.state, "new_anon", None) or secrets.token_urlsafe(24)
            request.state.new_anon = seed
    return seed


def csrf_token(request: Request) -> str:
    """The CSRF token to embed in this request's forms."""
    key = derive_key("csrf", get_settings().resolved_secret_key())
    return sign(key, _csrf_seed(request).encode())


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise :class:`CsrfRejected` unless ``submitted`` (or the header) is this session's token."""
    candidate = submitted or request.headers.get(CSRF_HEADER) or ""
    if not candidate:
        raise CsrfRejected("missing CSRF token")
    if not hmac.compare_digest(candidate.encode(), csrf_token(request).encode()):
        raise CsrfRejected("wrong CSRF token")


def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=get_settings().secure_cookies, path="/")


def start_session(response: Response, token: str, max_age: int) -> None:
    _cookie(response, SESSION_COOKIE, token, max_age)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=get_settings().secure_cookies)


def finish(request: Request, response: Response) -> Response:
    """Set the anonymous cookie on ``response`` when this request had to invent one."""
    new_anon = getattr(request.state, "new_anon", None)
    if new_anon and ANON_COOKIE not in request.cookies:
        _cookie(response, ANON_COOKIE, new_anon, None)
    return response
