"""URLs accepted from users (an avatar, a picture): web addresses and site paths only.

A user's URL ends up in ``href``, ``src`` and ``og:image`` attributes, so only two forms
are taken: an absolute ``http://`` or ``https://`` URL with a host, or a path on this
site (``/media/a.png``). Everything else is refused, notably ``javascript:``, ``data:``
and ``vbscript:`` URLs, protocol-relative ``//host`` and ``/\\host`` (both open another
site), and any whitespace, control character, quote, angle bracket or backslash.

Example::

    class ShopIn(BaseModel):
        avatar_url: WebUrl | None = None   # "javascript:alert(1)" → 422
"""

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

MAX_URL = 500
_FORBIDDEN = frozenset("\"'<>\\`") | {chr(code) for code in range(33)} | {"\x7f"}


def is_web_url(text: str) -> bool:
    """True for ``http(s)://host/...`` and for a site path ``/...`` (not ``//...``)."""
    if not text or any(char in _FORBIDDEN or char.isspace() for char in text):
        return False
    if text.startswith("/"):
        return not text.startswith("//")
    parts = urlsplit(text)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def _checked(text: str) -> str:
    if not is_web_url(text):
        raise ValueError("must be an http(s):// URL or a path on this site starting with /")
    return text


WebUrl = Annotated[str, Field(max_length=MAX_URL), AfterValidator(_checked)]
