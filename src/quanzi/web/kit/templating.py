"""The one Jinja2 environment of the pages: autoescaping on, the ``fen`` filter, and a
context processor giving every page its language, user, CSRF token and formatters."""

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import nh3
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from quanzi.core.config import get_settings
from quanzi.core.money import format_fen
from quanzi.orders.domain import REFUND_REASONS
from quanzi.web.kit import i18n
from quanzi.web.kit import session as web_session
from quanzi.web.kit.assets import asset
from quanzi.web.kit.labels import label
from quanzi.web.kit.percent import percent_of
from quanzi.web.kit.thumbs import thumb
from quanzi.web.shop import cart

TEMPLATES_DIR = Path(__file__).parent.parent / "templates"


def absolute_url(path: str) -> str:
    """``path`` on this site as a full URL (for Open Graph); full URLs pass unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    return get_settings().base_url.rstrip("/") + "/" + path.lstrip("/")


def rich(html: str) -> Markup:
    """User-supplied rich text, cleaned by nh3 (tags and attributes on its safe list only)."""
    return Markup(nh3.clean(html))


@lru_cache
def htmx_path() -> Path:
    """htmx.min.js as shipped inside the pinned ``django-js-lib-htmx`` package."""
    spec = find_spec("js_lib_htmx")
    if spec is None or spec.origin is None:
        raise RuntimeError("django-js-lib-htmx is not installed (pip install -e .)")
    return Path(spec.origin).parent / "static" / "htmx" / "htmx.min.js"


def page_context(request: Request) -> dict[str, Any]:
    """What every template may use: ``_``, ``lang``, ``user``, ``csrf_token``, ``dt``."""
    lang = i18n.negotiate(request)
    gettext = i18n.gettext_for(lang)
    return {"_": gettext, "label": lambda value, kind="": gettext(label(value, kind)),
            "lang": lang, "languages": i18n.LANGUAGES,
            "dt": i18n.datetime_formatter(lang), "user": web_session.page_user(request),
            "csrf_token": web_session.csrf_token(request),
            "path": request.url.path}


def masked_phone(phone: str | None) -> str:
    """``13800138000`` → ``138****8000``: enough to tell people apart, not to call them;
    None → ""."""
    if not phone:
        return ""
    if len(phone) < 8:
        return phone[:1] + "*" * (len(phone) - 1)
    return f"{phone[:3]}****{phone[-4:]}"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fen"] = format_fen
    env.filters["absolute_url"] = absolute_url
    env.filters["rich"] = rich
    env.filters["masked_phone"] = masked_phone
    env.filters["percent"] = percent_of
    env.globals["asset"] = asset
    env.globals["thumb"] = thumb
    env.globals["refund_reasons"] = REFUND_REASONS  # code → 不想要了, 质量问题 …
    env.globals["cart_items"] = cart.item_count  # the tab bar's badge
    return env


templates = Jinja2Templates(env=_environment(), context_processors=[page_context])
