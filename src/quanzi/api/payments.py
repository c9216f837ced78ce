"""Paying orders and the providers' callbacks."""

from functools import partial

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from quanzi.accounts.identity import Identity
from quanzi.api.deps import (
    BodyTooLarge,
    CurrentUser,
    Id,
    IdempotencyKey,
    capped_body,
)
from quanzi.api.errors import ERROR_RESPONSES, LIMITED_RESPONSES
from quanzi.core import rate_limits
from quanzi.core.db import read_session
from quanzi.core.errors import PaymentRefused
from quanzi.core.http import client_ip
from quanzi.orders import paying, queries
from quanzi.orders.schemas import OrderOut
from quanzi.payments import services
from quanzi.payments.schemas import CallbackOut, PayIn, PaymentIntentOut

router = APIRouter(tags=["payments"], responses=ERROR_RESPONSES)
CALLBACK_MAX_BYTES = 64 * 1024  # a provider's notification is a few kilobytes


# Paying and the sandbox's completion are served by the bare routes of
# ``api/checkout_routes.py``, which answer as these do; these document them in OpenAPI.
# They are ``async`` and send their work to a thread once: FastAPI would hop to a thread
# for a plain ``def`` and again to check its answer.

@router.post("/orders/{order_id}/pay", response_model=PaymentIntentOut)
async def pay(order_id: Id, data: PayIn, user: CurrentUser,
              key: IdempotencyKey) -> PaymentIntentOut:
    """Open a payment intent; the payer completes it at ``pay_url``."""
    return await run_in_threadpool(partial(
        paying.start_payment, order_id=order_id, payer_id=user.id, actor=user,
        provider_name=data.provider, idempotency_key=key))


@router.post("/payments/sandbox/{payment_id}/complete", response_model=OrderOut)
async def complete_sandbox(payment_id: Id, user: CurrentUser) -> OrderOut:
    """Development only: the sandbox sends its signed callback for this payment."""
    return await run_in_threadpool(complete_and_read, payment_id, user)


def complete_and_read(payment_id: int, user: Identity) -> OrderOut:
    """The sandbox's callback for the payment, then the order as its payer sees it."""
    order_id = services.complete_sandbox(payment_id=payment_id, payer_id=user.id)
    with read_session() as session:
        return queries.get_order(session, user, order_id)


@router.post("/payments/sandbox/callback", response_model=CallbackOut,
             responses=LIMITED_RESPONSES)
async def sandbox_callback(request: Request) -> CallbackOut:
    """The sandbox provider's signed notification (X-Sandbox-Timestamp, X-Sandbox-Signature).

    Refused notifications from one address count against ``QUANZI_RATE_LIMIT_CALLBACK``;
    past it, that address gets 429 before its body is read, and nothing is logged. A
    body over ``CALLBACK_MAX_BYTES`` is 413 before it is read whole."""
    return CallbackOut(outcome=await _callback("sandbox", request))


async def _callback(provider: str, request: Request) -> str:
    source = (provider, client_ip(request))
    await run_in_threadpool(rate_limits.refuse_if_over, rate_limits.CALLBACK, *source)
    try:
        body = await capped_body(request, CALLBACK_MAX_BYTES)
        return str(await run_in_threadpool(services.handle_callback, provider,
                                           dict(request.headers), body))
    except (PaymentRefused, BodyTooLarge):
        await run_in_threadpool(rate_limits.count, rate_limits.CALLBACK, *source)
        raise
