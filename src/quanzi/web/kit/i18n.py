"""Languages of the pages: zh-CN by default, English by ``Accept-Language`` or the switch.

Message ids are the Chinese texts themselves; ``translations/<lang>/LC_MESSAGES/messages.po``
holds the other languages and is read with Babel at start-up (no compile step). Amounts are
formatted with :func:`quanzi.core.money.format_fen`; times in Asia/Shanghai with Babel.
"""

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from fastapi import Request

TRANSLATIONS_DIR = Path(__file__).parent.parent / "translations"
DEFAULT = "zh-CN"
LANGUAGES = {"zh-CN": "中文", "en": "English"}
LANG_COOKIE = "lang"
SHANGHAI = ZoneInfo("Asia/Shanghai")
Gettext = Callable[..., str]


@lru_cache
def catalog(lang: str) -> dict[str, str]:
    """msgid → translated text for ``lang`` (empty for the default language)."""
    path = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


def negotiate(request: Request) -> str:
    """The ``lang`` cookie if it names a language we have, else the best Accept-Language."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for tag in _accepted(request.headers.get("accept-language", "")):
        if tag.startswith("zh"):
            return DEFAULT
        if tag.startswith("en"):
            return "en"
    return DEFAULT


def _accepted(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most preferred first."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.lower()))
    return [tag for _, _, tag in sorted(ranked)]


def gettext_for(lang: str) -> Gettext:
    """``_("库存 %(n)s", n=3)``: the translation of a message, then ``%`` with the keywords."""
    messages = catalog(lang)

    def _(message: str, **values: object) -> str:
        text = messages.get(message, message)
        return text % values if values else text

    return _


def datetime_formatter(lang: str) -> Callable[[datetime | None], str]:
    """A formatter of aware datetimes in Asia/Shanghai for ``lang`` (None → "")."""
    locale = Locale.parse("zh_CN" if lang == DEFAULT else lang)

    def fmt(value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=SHANGHAI, locale=locale)

    return fmt
