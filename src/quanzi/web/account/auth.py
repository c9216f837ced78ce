"""Sign in, register, sign out, the language switch, and htmx itself."""

from collections.abc import Mapping

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from pydantic import ValidationError

from quanzi.accounts import services as accounts
from quanzi.accounts.domain import looks_like_email
from quanzi.accounts.schemas import RegisterIn
from quanzi.core.config import get_settings
from quanzi.core.errors import (
    Conflict,
    InvalidInput,
    QuanziError,
    RateLimited,
    ServerBusy,
    Unauthenticated,
)
from quanzi.core.http import client_ip
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit import session as web_session
from quanzi.web.kit.form_errors import FieldErrors, by_field
from quanzi.web.kit.pages import CheckedForm, PageRoute, redirect, render, text
from quanzi.web.kit.templating import htmx_path

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LANG_MAX_AGE = 365 * 24 * 3600
# the register form's fields (RegisterIn field → the form's field); "" is the schema's
# own check that an e-mail or a phone is given
REGISTER_FIELDS = {"email": "login", "phone": "login", "": "login"}
REGISTER_LABELS = {"name": "昵称", "email": "邮箱或手机号", "phone": "邮箱或手机号",
                   "": "邮箱或手机号", "password": "密码（至少 8 位）"}
SHORT_PASSWORD = "密码至少 8 位。"
WRONG_PASSWORD = "账号或密码错误。"


def safe_next(target: str) -> str:
    """A local path to go to after signing in (anything else becomes ``/``)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target[:300]
    return "/"


@router.get("/static/vendor/htmx.min.js")
def htmx() -> FileResponse:
    return FileResponse(htmx_path(), media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"next": safe_next(next), "error": None,
                                                   "errors": {}, "login": ""})


@router.post("/login")
def login(request: Request, form: CheckedForm) -> Response:
    login_name, target = text(form, "login", 254), safe_next(text(form, "next", 300) or "/")
    context = {"next": target, "login": login_name, "errors": {}}
    try:
        token = accounts.login(login_name, text(form, "password", 128),
                               client_ip=client_ip(request))
    except Unauthenticated:
        return render(request, "accounts/login.html",
                      {**context, "error": None, "errors": {"password": WRONG_PASSWORD}},
                      status_code=401)
    except (RateLimited, ServerBusy) as exc:
        return _held_back(request, "accounts/login.html", context, exc)
    response = redirect(request, target)
    web_session.start_session(response, token.access_token, token.expires_in)
    return response


@router.get("/register")
def register_page(request: Request, next: str = "/") -> Response:
    return render(request, "accounts/register.html",
                  {"next": safe_next(next), "error": None, "errors": {}, "values": {}})


@router.post("/register")
def register(request: Request, form: CheckedForm) -> Response:
    login_name, name = text(form, "login", 254), text(form, "name", 64)
    password, target = text(form, "password", 128), safe_next(text(form, "next", 300) or "/")
    key = "email" if looks_like_email(login_name) else "phone"
    values = {"login": login_name, "name": name}
    ip = client_ip(request)
    try:
        accounts.register(RegisterIn(**{key: login_name or None}, password=password, name=name),
                          client_ip=ip)
        token = accounts.login(login_name, password, client_ip=ip)
    except ValidationError as exc:
        return _register_error(request, target, values,
                               _problems(exc, i18n.negotiate(request)))
    except Conflict:
        return _register_error(request, target, values,
                               {"login": "这个邮箱或手机号已经注册过了。"})
    except (RateLimited, ServerBusy) as exc:
        return _held_back(request, "accounts/register.html",
                          {"next": target, "values": values, "errors": {}}, exc)
    except InvalidInput as exc:  # weak_password and the rules of create_user
        return _register_error(request, target, values,
                               {"password": refusals.say(exc, i18n.negotiate(request))})
    response = redirect(request, target)
    web_session.start_session(response, token.access_token, token.expires_in)
    return response


def _problems(exc: ValidationError, lang: str) -> FieldErrors:
    """The register form's refused fields in ``lang``; a short password says so (the
    general text for a too-short field reads "required")."""
    errors = by_field(exc, REGISTER_LABELS, lang=lang, names=REGISTER_FIELDS)
    if any(e["type"] == "string_too_short" and e["loc"][-1:] == ("password",)
           for e in exc.errors()):
        errors["password"] = i18n.gettext_for(lang)(SHORT_PASSWORD)
    return errors


def _held_back(request: Request, template: str, context: Mapping[str, object],
               exc: QuanziError) -> Response:
    """The form again with the refusal in the page's language, its status and Retry-After."""
    error = refusals.say(exc, i18n.negotiate(request))
    response = render(request, template, {**context, "error": error}, status_code=exc.status)
    response.headers["Retry-After"] = str(exc.retry_after or 1)
    return response


def _register_error(request: Request, target: str, values: dict[str, str],
                    errors: FieldErrors) -> Response:
    """The form again, as typed (less the password), each reason under its field."""
    return render(request, "accounts/register.html",
                  {"next": target, "error": None, "errors": errors, "values": values},
                  status_code=422)


@router.post("/logout")
def logout(request: Request, _: CheckedForm) -> Response:
    token = web_session.session_token(request)
    if token:
        accounts.logout(token)
    response = redirect(request, "/")
    web_session.end_session(response)
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str) -> Response:
    """Remember the language in the ``lang`` cookie and go back where the visitor was."""
    back = request.headers.get("referer", "/")
    host = f"{request.url.scheme}://{request.url.netloc}"
    target = safe_next(back[len(host):] if back.startswith(host) else "/")
    response = redirect(request, target)
    if code in i18n.LANGUAGES:
        response.set_cookie(i18n.LANG_COOKIE, code, max_age=LANG_MAX_AGE, samesite="lax",
                            secure=get_settings().secure_cookies)
    return response
