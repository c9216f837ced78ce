"""Gzip for every answer of the app whose client asks for it, except the hot routes.

Starlette's ``GZipMiddleware`` does the work: a body is compressed only when the request's
``Accept-Encoding`` names gzip and the body has at least ``MINIMUM_SIZE`` bytes; streamed
bodies are compressed chunk by chunk as they go; partial (206) answers, answers already
encoded, images and event streams pass untouched; ``Vary: Accept-Encoding`` is set.
This wrapper adds two things:

- requests for the bare hot routes given as ``skip`` (the share redirect, the flash buy,
  and the bench's no-ops) go straight to the app: their answers are a few hundred bytes
  and must not pay for a wrapper around every message;
- a strong ``ETag`` on a compressed answer becomes weak (``W/"…"``), since its bytes are
  not the file's: a cache must not hand one encoding's bytes to a request for the other.
"""

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 500
LEVEL = 6  # nearly level 9's size for far less CPU on pages made per request


class Compression:
    """ASGI middleware: ``app.add_middleware(Compression, skip=hot_routes)``."""

    def __init__(self, app: ASGIApp, *, skip: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_SIZE, compresslevel=LEVEL)
        self.skip = [(_literal_prefix(route), route) for route in skip]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._hot(scope):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, _weak_etag(send))

    def _hot(self, scope: Scope) -> bool:
        path = scope["path"]
        return any(path.startswith(prefix) and route.matches(scope)[0] is not Match.NONE
                   for prefix, route in self.skip)


def _literal_prefix(route: BaseRoute) -> str:
    """The part of the route's path before its first parameter (``/s/`` of ``/s/{code}``)."""
    return route.path.partition("{")[0] if isinstance(route, Route) else "\0"


def _weak_etag(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            etag = headers.get("etag")
            if etag and not etag.startswith("W/") and "content-encoding" in headers:
                headers["etag"] = "W/" + etag
        await send(message)

    return sending
