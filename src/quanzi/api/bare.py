"""What the bare ASGI routes share (``api/flash_route.py``, ``api/checkout_routes.py``).

A bare route gets scope, receive and send without FastAPI's per-request machinery. It
reads the headers it needs in one pass (:func:`head`), the body (:func:`read_body`), the
bearer token's user from the sign-in cache (:func:`signed_in`), and answers JSON bytes
(:func:`send_json`).
"""

from dataclasses import dataclass

from starlette.types import Receive, Scope, Send

from quanzi.accounts import identity, sign_ins
from quanzi.accounts.identity import Identity


@dataclass(frozen=True)
class Head:
    """The headers a bare route reads (empty when absent; ``key`` None when absent)."""

    token: str | None
    key: str | None
    cookie: str
    content_type: str


def head(scope: Scope) -> Head:
    """The bearer token, Idempotency-Key, raw ``Cookie`` and Content-Type, in one pass."""
    token, key, cookie, content_type = None, None, "", ""
    for name, value in scope["headers"]:
        if name == b"authorization":
            token = identity.bearer_token(value.decode("latin-1"))
        elif name == b"idempotency-key":
            key = value.decode("latin-1")
        elif name == b"cookie":
            cookie = value.decode("latin-1")
        elif name == b"content-type":
            content_type = value.decode("latin-1")
    return Head(token, key, cookie, content_type)


async def read_body(receive: Receive) -> bytes | None:
    """The request body, or None when the client went away. (``BodySizeLimit`` caps it.)"""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def signed_in(token: str | None) -> Identity:
    """The token's user, from the sign-in cache or one coalesced lookup; 401 without."""
    if token is None:
        raise identity.no_token()
    user = sign_ins.cached(token) or await sign_ins.identity_async(token)
    if user is None:
        raise identity.unknown_token()
    return user


async def send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
