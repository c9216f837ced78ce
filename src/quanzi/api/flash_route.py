"""``POST /api/v1/flash-sales/{id}/buy`` as a bare ASGI route: the hottest path.

A flash sale draws thousands of buyers in seconds and most of them must hear "sold out"
fast. This route skips FastAPI's per-request machinery and Starlette's request and
response objects, keeps sign-ins and the sale's fixed terms in short-lived caches, and
answers a refusal from the allotment counter (Redis when configured, asked in batches:
``campaigns/flash/batch.py``) with a prepared body, without writing anything.
The OpenAPI description of the operation comes from the FastAPI route it shadows.
"""

from collections.abc import Callable, Hashable
from functools import lru_cache, partial
from typing import Any

import anyio
from pydantic import ValidationError
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from quanzi.api import sign_ins
from quanzi.api.errors import error_response
from quanzi.campaigns import buying
from quanzi.campaigns.buy_schemas import FlashBuyIn
from quanzi.campaigns.common import refuse
from quanzi.campaigns.flash import batch as flash_batch
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import Outcome
from quanzi.core import clock, coalesce, rate_limits, rate_limits_aio
from quanzi.core.bare_route import bare_route
from quanzi.core.coalesce import Coalescer
from quanzi.core.errors import QuanziError, RateLimited
from quanzi.core.idempotency import MAX_KEY_LENGTH
from quanzi.referral import share_cookies

# Orders are mostly Python (the ORM) and so share one interpreter lock: on two cores,
# four threads wrote a sale's first 100 orders faster than eight or sixteen did.
DB_THREADS = 4


@lru_cache(maxsize=16)
def _refusal_body(code: str) -> bytes:
    """The 409 body ``error_response`` would render for a campaign refusal ``code``."""
    return bytes(error_response(409, code, refuse(code).message).body)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> tuple[str | None, str, str]:
    """The bearer token, the Idempotency-Key and the raw ``Cookie`` header (for the share
    cookies), read in one pass over the raw headers."""
    token, key, cookie = None, "", ""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, rest = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and rest.strip():
                token = rest.strip()
        elif name == b"idempotency-key":
            key = value.decode("latin-1").strip()
        elif name == b"cookie":
            cookie = value.decode("latin-1")
    return token, key, cookie


async def _body(receive: Receive) -> bytes | None:
    """The request body, or None when the client went away."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def flash_buy(scope: Scope, receive: Receive, send: Send) -> None:
    """The buy as a bare ASGI app: no Request or Response objects on the way, and a
    refusal answered with a prepared body."""
    answer = await _answer(scope, receive)
    if isinstance(answer, str):
        await _send_json(send, 409, _refusal_body(answer))
    elif isinstance(answer, Response):
        await answer(scope, receive, send)
    elif answer is not None:
        await JSONResponse(answer, status_code=201)(scope, receive, send)


async def _answer(scope: Scope, receive: Receive) -> dict[str, Any] | str | Response | None:
    """The order bought, a refusal's code, an error response, or None (client gone)."""
    raw_id = scope["path_params"]["sale_id"]
    if not raw_id.isdigit() or not 0 < int(raw_id) <= 2_147_483_647:
        return error_response(422, "validation_error", "sale_id: not a valid id")
    token, key, cookie = _headers(scope)
    if token is None:
        return error_response(401, "unauthenticated", "sign in first: send Authorization: Bearer <token>")
    user = sign_ins.cached(token) or await sign_ins.principal_async(token)
    if user is None:
        return error_response(401, "invalid_token", "the token is unknown, expired or revoked")
    try:
        await rate_limits_aio.check(rate_limits.FLASH_BUY, str(user.id))
    except RateLimited as exc:
        return error_response(exc.status, exc.code, exc.message,
                              headers={"Retry-After": str(exc.retry_after)})
    if not key or len(key) > MAX_KEY_LENGTH or "\n" in key:
        return error_response(422, "idempotency_key_missing",
                              f"an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters) is required")
    body = await _body(receive)
    if body is None:
        return None
    try:
        data = FlashBuyIn.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "validation_error", f"{where}: {first.get('msg')}".strip(": "))
    came = share_cookies.from_cookie_header(cookie).with_code(data.share_code)
    buy = buying.FlashBuy(int(raw_id), user.id, data.quantity, data.address.model_dump(),
                          came.share_code, key, came.visitor_id)
    try:
        return await _buy(buy)
    except QuanziError as exc:
        return error_response(exc.status, exc.code, exc.message)


_limiter: anyio.CapacityLimiter | None = None


async def on_db_thread(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func`` on a worker thread, at most ``DB_THREADS`` at once: a burst of buyers queues
    here instead of crowding the connection pool and the GIL."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(DB_THREADS)
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs), limiter=_limiter)


async def _read_terms(sale_id: Hashable, asks: list[None]) -> list[flash_sales.SaleTerms]:
    assert isinstance(sale_id, int)
    terms = await on_db_thread(flash_sales.sale_terms, sale_id)
    return [terms] * len(asks)


def _terms_lookups() -> Coalescer[None, flash_sales.SaleTerms]:
    """A sale's terms read once for all the buyers waiting for them (a sale's first second)."""
    return Coalescer(_read_terms, max_batch=100_000)


async def _buy(buy: buying.FlashBuy) -> dict[str, Any] | str:
    """With Redis, a refusal is answered on the event loop (its code returned); only a
    buy that got its units (or may be a retry of one) goes to a thread for the database."""
    fast = flash_batch.batched_counter()
    if fast is None:
        return await on_db_thread(buying.buy_flash, sale_id=buy.sale_id,
                                  user_id=buy.user_id, quantity=buy.quantity,
                                  address=buy.address, share_code=buy.share_code,
                                  idempotency_key=buy.key, visitor_id=buy.visitor_id)
    terms = flash_sales.cached_terms(buy.sale_id) or await coalesce.of_loop(
        "flash-terms", _terms_lookups).ask(buy.sale_id, None)
    refusal = terms.refusal(clock.now())
    if refusal:
        return refusal
    answer = await fast.reserve(buy.sale_id, buy.user_id, buy.quantity, terms.per_user_limit,
                                buy.key)
    if answer is None:  # the sale's keys are not in Redis yet: load them on a thread
        outcome = await on_db_thread(flash_stock.reserve, buy.sale_id, buy.user_id,
                                     buy.quantity, terms.per_user_limit)
        seen = None
    else:
        outcome, seen = answer
    if outcome is not Outcome.OK:
        if seen is False:
            return outcome.value
        return await on_db_thread(buying.refused, buy, outcome, may_have_bought=seen)
    return await on_db_thread(buying.create_flash_order, buy, terms, fresh=seen is False)


def routes() -> list[Route]:
    return [bare_route("/api/v1/flash-sales/{sale_id}/buy", flash_buy, ["POST"])]


__all__ = ["flash_buy", "routes"]
