"""``POST /api/v1/flash-sales/{id}/buy`` as a plain Starlette route: the hottest path.

A flash sale draws thousands of buyers in seconds and most of them must hear "sold out"
fast. This route skips FastAPI's per-request machinery (about half the cost of a request
here), keeps sign-ins and the sale's fixed terms in short-lived caches, and answers a
refusal from the allotment counter (Redis when configured) without writing anything.
The OpenAPI description of the operation comes from the FastAPI route it shadows.
"""

import time
from collections import OrderedDict
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from quanzi.api.deps import Principal, bearer_token, principal_for
from quanzi.api.errors import error_response
from quanzi.campaigns import buying
from quanzi.campaigns.buy_schemas import FlashBuyIn
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
    if not key or len(key) > MAX_KEY_LENGTH:
        return error_response(422, "idempotency_key_missing",
                              f"an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters) is required")
    try:
        data = FlashBuyIn.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "validation_error", f"{where}: {first.get('msg')}".strip(": "))
    try:
        order = await run_in_threadpool(_buy, int(raw_id), user.id, data, key)
    except QuanziError as exc:
        return error_response(exc.status, exc.code, exc.message)
    return JSONResponse(order, status_code=201)


def _buy(sale_id: int, user_id: int, data: FlashBuyIn, key: str) -> dict[str, Any]:
    return buying.buy_flash(sale_id=sale_id, user_id=user_id, quantity=data.quantity,
                            address=data.address.model_dump(), share_code=data.share_code,
                            idempotency_key=key)


def routes() -> list[Route]:
    return [Route("/api/v1/flash-sales/{sale_id}/buy", flash_buy, methods=["POST"])]


__all__ = ["flash_buy", "forget_sign_ins", "routes"]
