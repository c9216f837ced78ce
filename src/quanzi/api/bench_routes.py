"""Baselines the benchmarks measure against, mounted only with ``QUANZI_BENCH=1``.

- ``GET /bench/noop``: the cheapest answer this server can give;
- ``POST /bench/rowlock-buy/{sale_id}``: the textbook flash-sale buy — lock the sale's
  row with ``SELECT … FOR UPDATE``, check, count, create the order, commit — so
  ``bench/flash_sale.py`` can compare it with the real buy path in the same run.
"""

from sqlalchemy import select, update
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from quanzi.accounts import sign_ins
from quanzi.api.deps import bearer_token
from quanzi.campaigns.buy_schemas import FlashBuyIn
from quanzi.campaigns.models import FlashReservation, FlashSale
from quanzi.core import clock
from quanzi.core.bare_route import bare_route
from quanzi.core.db import transaction
from quanzi.orders.placing import Item, create_order


async def noop(_: Scope, __: Receive, send: Send) -> None:
    """The cheapest answer: two ASGI messages, no request or response objects (the same
    way the flash-sale buy answers its refusals)."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"11")]})
    await send({"type": "http.response.body", "body": b'{"ok":true}'})


def _rowlock_buy(sale_id: int, user_id: int, data: FlashBuyIn) -> tuple[int, dict[str, object]]:
    with transaction() as session:
        sale = session.scalars(select(FlashSale).where(FlashSale.id == sale_id)
                               .with_for_update()).one()
        if sale.sold + data.quantity > sale.stock:
            return 409, {"error": {"code": "sold_out", "message": "sold out"}}
        session.execute(update(FlashSale).where(FlashSale.id == sale_id)
                        .values(sold=FlashSale.sold + data.quantity))
        order = create_order(session, buyer_id=user_id,
                             items=[Item(sale.sku_id, data.quantity, sale.price_fen)],
                             address=data.address.model_dump(), kind="flash_sale",
                             campaign_ref=f"flash:{sale_id}")
        session.add(FlashReservation(sale_id=sale_id, user_id=user_id, quantity=data.quantity,
                                     order_id=order.id, status="reserved",
                                     created_at=clock.now(), expires_at=clock.now()))
        return 201, {"id": order.id}


async def rowlock_buy(request: Request) -> Response:
    user = await run_in_threadpool(sign_ins.identity, bearer_token(request) or "")
    if user is None:
        return JSONResponse({"error": {"code": "unauthenticated", "message": "sign in"}}, 401)
    data = FlashBuyIn.model_validate_json(await request.body())
    status, body = await run_in_threadpool(_rowlock_buy, int(request.path_params["sale_id"]),
                                           user.id, data)
    return JSONResponse(body, status_code=status)


def routes() -> list[Route]:
    return [bare_route("/bench/noop", noop, ["GET"]),
            Route("/bench/rowlock-buy/{sale_id:int}", rowlock_buy, methods=["POST"])]
