"""Hot paths as bare ASGI routes: Starlette matches the path, then the app gets scope,
receive and send directly, without a Request or Response object on the way."""

from collections.abc import Awaitable, Callable

from starlette.routing import Route
from starlette.types import Receive, Scope, Send

AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Asgi:
    """Wraps an ASGI function so Starlette's Route passes scope, receive and send through
    (a plain function would be treated as a request → response endpoint)."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def bare_route(path: str, app: AsgiApp, methods: list[str]) -> Route:
    return Route(path, Asgi(app), methods=methods)
