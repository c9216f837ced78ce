"""Paying orders and the providers' callbacks."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from quanzi.api.deps import CurrentUser, Id, IdempotencyKey, ReadSession, actor_of
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.orders import queries
from quanzi.orders.schemas import OrderOut
from quanzi.payments import services
from quanzi.payments.schemas import CallbackOut, PayIn, PaymentIntentOut

router = APIRouter(tags=["payments"], responses=ERROR_RESPONSES)


@router.post("/orders/{order_id}/pay", response_model=PaymentIntentOut)
def pay(order_id: Id, data: PayIn, user: CurrentUser, key: IdempotencyKey) -> PaymentIntentOut:
    """Open a payment intent; the payer completes it at ``pay_url``."""
    return services.start_payment(order_id=order_id, payer_id=user.id, actor=actor_of(user),
                                  provider_name=data.provider, idempotency_key=key)


@router.post("/payments/sandbox/{payment_id}/complete", response_model=OrderOut)
def complete_sandbox(payment_id: Id, user: CurrentUser, session: ReadSession) -> OrderOut:
    """Development only: the sandbox sends its signed callback for this payment."""
    order_id = services.complete_sandbox(payment_id=payment_id, payer_id=user.id)
    session.expire_all()
    return queries.get_order(session, actor_of(user), order_id)


@router.post("/payments/sandbox/callback", response_model=CallbackOut)
async def sandbox_callback(request: Request) -> CallbackOut:
    """The sandbox provider's signed notification (X-Sandbox-Timestamp, X-Sandbox-Signature)."""
    body = await request.body()
    headers = dict(request.headers)
    outcome = await run_in_threadpool(services.handle_callback, "sandbox", headers, body)
    return CallbackOut(outcome=outcome)
