"""What the bare ASGI routes share (``api/flash_route.py``, ``api/checkout_routes.py``).

A bare route gets scope, receive and send without FastAPI's per-request machinery. It
reads the headers it needs in one pass (:func:`head`), the body (:func:`read_body`), the
bearer token's user from the sign-in cache (:func:`signed_in`), runs its database work
(:func:`run_work`) and answers JSON bytes (:func:`send_json`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from quanzi.accounts import identity, sign_ins
from quanzi.accounts.identity import Identity
from quanzi.core.db import get_db

T = TypeVar("T")


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


async def run_work(work: Callable[[], T]) -> T:
    """Run blocking database work: on the event loop's own thread when it can start at once
    on SQLite (the write turn is free and nobody is queued for it), else in the thread pool.

    The hop to a thread costs more than the work it carries: every SQLite call releases
    the GIL, and with the loop thread busy on other requests each one became a hand-over
    between two threads. Measured with ``bench/checkout.py``, the server spent 10.7 ms of
    CPU per sale with the hop and 6.3 ms without. The loop never waits here for a lock:
    with the turn held, the work's statements are local file I/O, and its Python would hold
    the GIL in a thread anyway. On PostgreSQL every statement is a network round trip and
    may wait on a row lock, so the work always goes to a thread.
    """
    db = get_db()
    if not db.try_write_turn():
        return await run_in_threadpool(work)
    try:
        return work()
    finally:
        db.leave_write_turn()
