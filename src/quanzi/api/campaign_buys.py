"""Buying through campaigns: flash-sale buys, opening and joining groups, bargain buys,
tiered deals and presales.

Each creates an ordinary ``pending_payment`` order, paid with ``/orders/{id}/pay``, and
attributed as ``POST /orders`` is: the body's ``share_code``, else the share cookies.
"""

from fastapi import APIRouter

from quanzi.api.deps import CurrentUser, Id, IdempotencyKey, ShareCookies
from quanzi.api.errors import ERROR_RESPONSES, LIMITED_RESPONSES
from quanzi.campaigns import buying
from quanzi.campaigns.buy_schemas import BargainBuyIn, FlashBuyIn, QuantityIn, SeatIn, SeatOut
from quanzi.core import rate_limits
from quanzi.orders.schemas import OrderOut

router = APIRouter(tags=["campaigns"], responses=ERROR_RESPONSES)


@router.post("/flash-sales/{sale_id}/buy", status_code=201, response_model=OrderOut,
             responses=LIMITED_RESPONSES)
def buy_flash(sale_id: Id, data: FlashBuyIn, user: CurrentUser, key: IdempotencyKey,
              cookies: ShareCookies) -> OrderOut:
    """Reserve flash stock and create the order; unpaid after 5 minutes it is released.
    429 ``rate_limited`` past ``QUANZI_RATE_LIMIT_FLASH_BUY`` requests of this buyer.

    (Served by the bare route of ``api/flash_route.py``; this one documents it.)"""
    rate_limits.check(rate_limits.FLASH_BUY, str(user.id))
    came = cookies.with_code(data.share_code)
    return buying.buy_flash(sale_id=sale_id, user_id=user.id, quantity=data.quantity,
                            address=data.address.model_dump(), share_code=came.share_code,
                            visitor_id=came.visitor_id, idempotency_key=key)


@router.post("/group-buys/{group_buy_id}/groups", status_code=201, response_model=SeatOut)
def open_group(group_buy_id: Id, data: SeatIn, user: CurrentUser, key: IdempotencyKey,
               cookies: ShareCookies) -> SeatOut:
    """Open a group (拼团): you take the first seat and pay for it like any order."""
    came = cookies.with_code(data.share_code)
    return buying.open_group(group_buy_id=group_buy_id, user_id=user.id,
                             address=data.address.model_dump(), share_code=came.share_code,
                             visitor_id=came.visitor_id, idempotency_key=key)


@router.post("/groups/{group_id}/join", status_code=201, response_model=SeatOut)
def join_group(group_id: Id, data: SeatIn, user: CurrentUser, key: IdempotencyKey,
               cookies: ShareCookies) -> SeatOut:
    came = cookies.with_code(data.share_code)
    return buying.join_group(group_id=group_id, user_id=user.id,
                             address=data.address.model_dump(), share_code=came.share_code,
                             visitor_id=came.visitor_id, idempotency_key=key)


@router.post("/bargain-runs/{run_id}/buy", status_code=201, response_model=OrderOut)
def buy_bargain(run_id: Id, data: BargainBuyIn, user: CurrentUser, key: IdempotencyKey,
                cookies: ShareCookies) -> OrderOut:
    """The bargain's owner buys at the current price (the floor once reached)."""
    came = cookies.with_code(data.share_code)
    return buying.buy_bargain(run_id=run_id, user_id=user.id,
                              address=data.address.model_dump(), share_code=came.share_code,
                              visitor_id=came.visitor_id, idempotency_key=key)


@router.post("/tiered-deals/{deal_id}/join", status_code=201, response_model=OrderOut)
def join_tiered(deal_id: Id, data: QuantityIn, user: CurrentUser, key: IdempotencyKey,
                cookies: ShareCookies) -> OrderOut:
    """Join at the current tier's price; at the close everyone pays the final tier."""
    came = cookies.with_code(data.share_code)
    return buying.join_tiered(deal_id=deal_id, user_id=user.id, quantity=data.quantity,
                              address=data.address.model_dump(), share_code=came.share_code,
                              visitor_id=came.visitor_id, idempotency_key=key)


@router.post("/presales/{presale_id}/orders", status_code=201, response_model=OrderOut)
def order_presale(presale_id: Id, data: QuantityIn, user: CurrentUser, key: IdempotencyKey,
                  cookies: ShareCookies) -> OrderOut:
    """Order a presale item: ``/orders/{id}/pay`` takes the deposit now and, in the balance
    window, the balance; an unpaid balance follows the presale's rule (shown on it)."""
    came = cookies.with_code(data.share_code)
    return buying.order_presale(presale_id=presale_id, user_id=user.id,
                                quantity=data.quantity, address=data.address.model_dump(),
                                share_code=came.share_code, visitor_id=came.visitor_id,
                                idempotency_key=key)
