"""Refuse any request that carries a NUL character, before any route sees it.

PostgreSQL text cannot hold NUL (``\\x00``): a NUL that reached a query failed it with a
500. No field of quanzi may hold one, so this ASGI middleware answers 422
``validation_error`` to a request with a NUL anywhere a route reads text from:

* the path and the query string (``%00`` decoded);
* the share cookies (a quoted cookie value may spell NUL as ``\\000``);
* the body: a raw NUL byte, a JSON ``\\u0000`` escape, or ``%00`` in a form; in a
  multipart form only its text fields and part headers (a file's bytes, a photo, may
  hold any byte: the route that takes it reads it as bytes, never as text).

The body is passed on as it arrives; it is checked as a whole when its last part is
read, before the route acts on it (every route reads its whole body first), and a NUL
raises the 422 from there (the app's error handler renders it; pages show their 422
page, see ``web.pages``).
"""

import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quanzi.api.errors import error_response
from quanzi.core.http import InputRefused

MESSAGE = "text must not contain NUL (\\u0000) characters"
# \u0000 preceded by an even number of backslashes (an escaped backslash is not an escape)
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_COOKIE_NUL = re.compile(rb"\\000")
_BOUNDARY = re.compile(rb"boundary=(\"[^\"]+\"|[^;\s]+)", re.IGNORECASE)


def body_has_nul(body: bytes, content_type: bytes) -> bool:
    """Whether a request body spells a NUL in any way its content type can (the header as
    sent: a multipart boundary is case-sensitive)."""
    if content_type.lower().startswith(b"multipart/form-data"):
        return _multipart_text_has_nul(body, content_type)
    if b"\x00" in body or (b"\\u0000" in body and _JSON_NUL.search(body)):
        return True
    if content_type.lower().startswith(b"application/x-www-form-urlencoded") and b"%00" in body:
        return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
    return False


def _multipart_text_has_nul(body: bytes, content_type: bytes) -> bool:
    """A NUL in a multipart body outside a file's content (no boundary: anywhere)."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        return b"\x00" in body
    for part in body.split(b"--" + found.group(1).strip(b'"')):
        head, _, content = part.partition(b"\r\n\r\n")
        if b"\x00" in head or (b"filename=" not in head.lower() and b"\x00" in content):
            return True
    return False


def _head_has_nul(scope: Scope) -> bool:
    if "\x00" in scope.get("path", ""):
        return True
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query and b"\x00" in unquote_to_bytes(query):
        return True
    return any(name == b"cookie" and _COOKIE_NUL.search(value)
               for name, value in scope.get("headers", ()))


class NulGuard:
    """The middleware (see the module docstring). ``page`` answers requests outside
    ``/api/`` whose path, query or cookie holds a NUL (the pages' 422 page); without it,
    and for the API, the answer is the JSON error."""

    def __init__(self, app: ASGIApp, page: ASGIApp | None = None) -> None:
        self.app, self.page = app, page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _head_has_nul(scope):
            if self.page is not None and not scope["path"].startswith("/api/"):
                await self.page(scope, receive, send)
            else:
                await error_response(422, "validation_error", MESSAGE)(scope, receive, send)
            return
        await self.app(scope, _checked(scope, receive), send)


def _checked(scope: Scope, receive: Receive) -> Receive:
    content_type = next((value for name, value in scope["headers"]
                         if name == b"content-type"), b"")
    parts: list[bytes] = []

    async def checked() -> Message:
        message = await receive()
        if message["type"] != "http.request":
            return message
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            body = parts[0] if len(parts) == 1 else b"".join(parts)
            parts.clear()
            if body_has_nul(body, content_type):
                raise InputRefused(422, "validation_error", MESSAGE)
        return message

    return checked
