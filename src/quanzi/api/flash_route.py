"""``POST /api/v1/flash-sales/{id}/buy`` as a bare ASGI route: the hottest path.

A flash sale draws thousands of buyers in seconds and most of them must hear "sold out"
fast. This route skips FastAPI's per-request machinery and Starlette's request and
response objects, keeps sign-ins and the sale's fixed terms in short-lived caches, and
answers a refusal from the allotment counter (Redis when configured, asked in batches:
``campaigns/flash/batch.py``) with a prepared body, without writing anything.
The OpenAPI description of the operation comes from the FastAPI route it shadows.

The route only parses the request (with ``api/bare.py``): the bearer token (resolved
through the sign-in cache ``accounts.sign_ins``), the rate limit, the Idempotency-Key
(``core.idempotency.check_key``) and the body; the buy itself is
``campaigns.flash.buy.buy``. Errors are answered as every API route answers them
(``api.errors``).
"""

from functools import lru_cache

from pydantic import ValidationError
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from quanzi.api import bare, errors
from quanzi.campaigns.buy_schemas import FlashBuyIn
from quanzi.campaigns.buying import FlashBuy
from quanzi.campaigns.flash import buy as flash_buy
from quanzi.campaigns.flash.buy import Refused
from quanzi.core import rate_limits, rate_limits_aio
from quanzi.core.bare_route import bare_route
from quanzi.core.errors import Conflict, QuanziError
from quanzi.core.idempotency import check_key
from quanzi.core.ids import MAX_ID
from quanzi.orders.schemas import OrderOut
from quanzi.referral import share_cookies

__all__ = ["flash_buy_route", "routes"]


@lru_cache(maxsize=64)
def _conflict_body(code: str, message: str) -> bytes:
    """The 409 body ``errors.domain_error`` renders for a refusal (prepared once)."""
    return bytes(errors.error_response(409, code, message).body)


@lru_cache(maxsize=16)
def _refusal_body(code: str) -> bytes:
    """The 409 body of the refusal ``code`` (``flash_buy.Refused``), prepared once."""
    error = Refused(code).error()
    return _conflict_body(error.code, error.message)


async def flash_buy_route(scope: Scope, receive: Receive, send: Send) -> None:
    """The buy as a bare ASGI app: no Request or Response objects on the way, and a
    refusal answered with a prepared body."""
    raw_id = scope["path_params"]["sale_id"]
    if not raw_id.isdigit() or not 0 < int(raw_id) <= MAX_ID:
        response = errors.error_response(422, "validation_error", "sale_id: not a valid id")
        await response(scope, receive, send)
        return
    try:
        order = await _answer(scope, receive, int(raw_id))
    except Conflict as exc:  # the common answer in a sale: sold out, limit reached
        await bare.send_json(send, 409, _conflict_body(exc.code, exc.message))
    except QuanziError as exc:
        await errors.domain_error(exc)(scope, receive, send)
    except ValidationError as exc:
        await errors.invalid_request(exc.errors())(scope, receive, send)
    else:
        if isinstance(order, Refused):
            await bare.send_json(send, 409, _refusal_body(order.code))
        elif order is not None:
            response = JSONResponse(order.model_dump(mode="json"), status_code=201)
            await response(scope, receive, send)


async def _answer(scope: Scope, receive: Receive,
                  sale_id: int) -> OrderOut | Refused | None:
    """The order bought, a refusal, or None when the client went away; raises the
    domain's errors."""
    given = bare.head(scope)
    user = await bare.signed_in(given.token)
    await rate_limits_aio.check(rate_limits.FLASH_BUY, str(user.id))
    key = check_key(given.key)
    body = await bare.read_body(receive)
    if body is None:
        return None
    data = FlashBuyIn.model_validate_json(body)
    came = share_cookies.from_cookie_header(given.cookie).with_code(data.share_code)
    return await flash_buy.buy(FlashBuy(sale_id, user.id, data.quantity,
                                        data.address.model_dump(), came.share_code, key,
                                        came.visitor_id))


def routes() -> list[Route]:
    return [bare_route("/api/v1/flash-sales/{sale_id}/buy", flash_buy_route, ["POST"])]
