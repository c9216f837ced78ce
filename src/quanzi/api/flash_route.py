"""``POST /api/v1/flash-sales/{id}/buy`` as a plain Starlette route: the hottest path.

A flash sale draws thousands of buyers in seconds and most of them must hear "sold out"
fast. This route skips FastAPI's per-request machinery (about half the cost of a request
here), keeps sign-ins and the sale's fixed terms in short-lived caches, and answers a
refusal from the allotment counter (Redis when configured) without writing anything.
The OpenAPI description of the operation comes from the FastAPI route it shadows.
"""

import time
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quanzi.api.deps import Principal, bearer_token, principal_for
from quanzi.api.errors import error_response
from quanzi.campaigns import buying, flash_batch, flash_sales, flash_stock
from quanzi.campaigns.common import refuse
from quanzi.campaigns.flash_stock import Outcome
from quanzi.campaigns.buy_schemas import FlashBuyIn
from quanzi.core import clock
from quanzi.core.db import on_database_switch
from quanzi.core.errors import QuanziError
from quanzi.core.idempotency import MAX_KEY_LENGTH

SIGN_IN_TTL = 30.0  # seconds a token's user is remembered (revocation takes effect after)
_principals: "OrderedDict[str, tuple[float, Principal]]" = OrderedDict()
_MAX_CACHED = 10_000


def _cached(token: str) -> Principal | None:
    hit = _principals.get(token)
    if hit is not None and time.monotonic() - hit[0] < SIGN_IN_TTL:
        return hit[1]
    return None


def _principal(token: str) -> Principal | None:
    cached = _cached(token)
    if cached is not None:
        return cached
    principal = principal_for(token)
    if principal is not None:
        _principals[token] = (time.monotonic(), principal)
        while len(_principals) > _MAX_CACHED:
            _principals.popitem(last=False)
    return principal


def forget_sign_ins() -> None:
    _principals.clear()


on_database_switch(forget_sign_ins)


class _Refusal(Exception):
    """The counter said no and the ask is not a retry: answered from a prepared body."""

    def __init__(self, code: str) -> None:
        self.code = code


@lru_cache(maxsize=16)
def _refusal_body(code: str) -> bytes:
    rendered = error_response(409, code, refuse(code).message).body
    return bytes(rendered)


def _refusal_response(code: str) -> Response:
    """The same 409 as ``error_response`` gives, without rendering JSON each time."""
    return Response(_refusal_body(code), status_code=409, media_type="application/json")


async def flash_buy(request: Request) -> Response:
    raw_id = request.path_params["sale_id"]
    if not raw_id.isdigit() or not 0 < int(raw_id) <= 2_147_483_647:
        return error_response(422, "validation_error", "sale_id: not a valid id")
    token = bearer_token(request)
    if token is None:
        return error_response(401, "unauthenticated", "sign in first: send Authorization: Bearer <token>")
    user = _cached(token) or await run_in_threadpool(_principal, token)
    if user is None:
        return error_response(401, "invalid_token", "the token is unknown, expired or revoked")
    key = (request.headers.get("idempotency-key") or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or "\n" in key:
        return error_response(422, "idempotency_key_missing",
                              f"an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters) is required")
    try:
        data = FlashBuyIn.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "validation_error", f"{where}: {first.get('msg')}".strip(": "))
    buy = buying.FlashBuy(int(raw_id), user.id, data.quantity, data.address.model_dump(),
                          data.share_code, key)
    try:
        order = await _buy(buy)
    except _Refusal as refusal:
        return _refusal_response(refusal.code)
    except QuanziError as exc:
        return error_response(exc.status, exc.code, exc.message)
    return JSONResponse(order, status_code=201)


async def _buy(buy: buying.FlashBuy) -> dict[str, Any]:
    """With Redis, a refusal is answered on the event loop; only a buy that got its units
    (or may be a retry of one) goes to a thread for the database."""
    fast = flash_batch.batched_counter()
    if fast is None:
        return await run_in_threadpool(buying.buy_flash, sale_id=buy.sale_id,
                                       user_id=buy.user_id, quantity=buy.quantity,
                                       address=buy.address, share_code=buy.share_code,
                                       idempotency_key=buy.key)
    terms = flash_sales.cached_terms(buy.sale_id) or await run_in_threadpool(
        flash_sales.sale_terms, buy.sale_id)
    refusal = terms.refusal(clock.now())
    if refusal:
        raise refuse(refusal)
    answer = await fast.reserve(buy.sale_id, buy.user_id, buy.quantity, terms.per_user_limit,
                                buy.key)
    if answer is None:  # the sale's keys are not in Redis yet: load them on a thread
        outcome = await run_in_threadpool(flash_stock.reserve, buy.sale_id, buy.user_id,
                                          buy.quantity, terms.per_user_limit)
        seen = None
    else:
        outcome, seen = answer
    if outcome is not Outcome.OK:
        if seen is False:
            raise _Refusal(outcome.value)
        return await run_in_threadpool(buying.refused, buy, outcome, may_have_bought=seen)
    return await run_in_threadpool(buying.create_flash_order, buy, terms)


def routes() -> list[Route]:
    return [Route("/api/v1/flash-sales/{sale_id}/buy", flash_buy, methods=["POST"])]


__all__ = ["flash_buy", "forget_sign_ins", "routes"]
