"""/api/v1/orders: place, read, ship, deliver, confirm, cancel, refund."""

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from quanzi.api.deps import CurrentUser, Id, IdempotencyKey, ReadSession, ShareCookies
from quanzi.api.errors import ERROR_RESPONSES
from quanzi.community import queries as community_queries
from quanzi.core.errors import TooLarge
from quanzi.core.images import MAX_BYTES
from quanzi.orders import lifecycle, queries, refund_photos, refunds
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import (
    OrderCreate,
    OrderOut,
    OrderPage,
    RefundCreate,
    RefundDecisionIn,
    RefundList,
    RefundOut,
    RefundPhotoOut,
    ShipIn,
)

router = APIRouter(tags=["orders"], responses=ERROR_RESPONSES)
UPLOAD_OVERHEAD = 64 * 1024  # the multipart headers and boundaries around a photo
PHOTO_HEADERS = {"cache-control": "private, max-age=86400", "x-content-type-options": "nosniff"}

OrderStatus = Literal["pending_payment", "deposit_paid", "paid", "shipped", "delivered",
                      "completed", "cancelled", "refunded"]


@router.post("/orders", status_code=201, response_model=OrderOut)
async def create(data: OrderCreate, user: CurrentUser, key: IdempotencyKey,
                 cookies: ShareCookies) -> OrderOut:
    """Place an order (stock is reserved until the payment deadline). Replays return it again.

    Attributed to the body's ``share_code``, else the share cookies'.

    (Served by the bare route of ``api/checkout_routes.py``; this one documents it.)"""
    came = cookies.with_code(data.share_code)
    data = data.model_copy(update={"share_code": came.share_code})
    # one hop to a thread for the database; a plain ``def`` costs a second hop for the answer
    return await run_in_threadpool(partial(place_order, buyer_id=user.id, data=data,
                                           idempotency_key=key, visitor_id=came.visitor_id))


@router.get("/orders", response_model=OrderPage)
def list_orders(user: CurrentUser, session: ReadSession,
                scope: Literal["mine", "supplier", "all"] = "mine",
                status: OrderStatus | None = None,
                cursor: Annotated[str | None, Query(max_length=40)] = None,
                limit: Annotated[int, Query(ge=1, le=100)] = 20,
                to_ship: bool = False) -> OrderPage:
    """Newest first. ``to_ship=true``: the shipping queue, paid orders that may ship now
    (not a 拼团 order whose group is still forming: its ``hold`` is ``group_not_formed``)."""
    return queries.list_orders(session, user, scope=scope, status=status,
                               cursor=cursor, limit=limit, to_ship=to_ship)


@router.get("/orders/{order_id}", response_model=OrderOut)
def get(order_id: Id, user: CurrentUser, session: ReadSession) -> OrderOut:
    """An order; a community batch order adds ``pickup_point_id`` and, to its buyer once
    paid, ``pickup_code``."""
    return community_queries.with_pickup(session, user.id,
                                         queries.get_order(session, user, order_id))


@router.post("/orders/{order_id}/cancel", response_model=OrderOut)
def cancel(order_id: Id, user: CurrentUser) -> OrderOut:
    return lifecycle.cancel(actor=user, order_id=order_id)


@router.post("/orders/{order_id}/ship", response_model=OrderOut)
def ship(order_id: Id, data: ShipIn, user: CurrentUser) -> OrderOut:
    return lifecycle.ship(actor=user, order_id=order_id, data=data)


@router.post("/orders/{order_id}/deliver", response_model=OrderOut)
def deliver(order_id: Id, user: CurrentUser) -> OrderOut:
    return lifecycle.deliver(actor=user, order_id=order_id)


@router.post("/orders/{order_id}/confirm", response_model=OrderOut)
def confirm(order_id: Id, user: CurrentUser) -> OrderOut:
    return lifecycle.confirm(actor=user, order_id=order_id)


@router.post("/orders/{order_id}/refunds", status_code=201, response_model=RefundOut)
def request_refund(order_id: Id, data: RefundCreate, user: CurrentUser,
                   key: IdempotencyKey) -> RefundOut:
    return refunds.request_refund(actor=user, order_id=order_id, data=data,
                                  idempotency_key=key)


@router.post("/orders/{order_id}/refund-photos", status_code=201,
             response_model=RefundPhotoOut)
def upload_refund_photo(order_id: Id, request: Request, user: CurrentUser,
                        key: IdempotencyKey, file: Annotated[UploadFile, File()]) -> RefundPhotoOut:
    """The buyer uploads a photo for a refund request (multipart field ``file``): re-encoded
    as JPEG (no EXIF, at most 1600 px a side); name its ``id`` in the request's
    ``photo_ids``. Over 5 MB: 413 ``photo_too_large``; not a picture: 422 ``not_an_image``."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES + UPLOAD_OVERHEAD:
        raise TooLarge("a photo may be at most 5 MB", code="photo_too_large")
    data = file.file.read(MAX_BYTES + 1)
    return refund_photos.upload(actor=user, order_id=order_id, data=data, idempotency_key=key)


@router.get("/refund-photos/{photo_id}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
def refund_photo(photo_id: Id, user: CurrentUser, session: ReadSession) -> Response:
    """A refund request's photo: to the order's buyer, its supplier and operators only."""
    media_type, content = refund_photos.read(session, user, photo_id)
    return Response(content, media_type=media_type, headers=PHOTO_HEADERS)


@router.get("/orders/{order_id}/refunds", response_model=RefundList)
def list_refunds(order_id: Id, user: CurrentUser, session: ReadSession) -> RefundList:
    return RefundList(items=refunds.refunds_of(session, user, order_id))


@router.post("/refunds/{refund_id}/approve", response_model=RefundOut)
def approve_refund(refund_id: Id, data: RefundDecisionIn, user: CurrentUser) -> RefundOut:
    return refunds.decide(actor=user, refund_id=refund_id, approve=True,
                          note=data.note)


@router.post("/refunds/{refund_id}/reject", response_model=RefundOut)
def reject_refund(refund_id: Id, data: RefundDecisionIn, user: CurrentUser) -> RefundOut:
    return refunds.decide(actor=user, refund_id=refund_id, approve=False,
                          note=data.note)


@router.post("/orders/{order_id}/after-sales-refunds", status_code=201, response_model=RefundOut)
def after_sales_refund(order_id: Id, data: RefundCreate, user: CurrentUser,
                       key: IdempotencyKey) -> RefundOut:
    """Operators: refund now to settle a dispute, also after settlement (with clawback)."""
    return refunds.after_sales_refund(actor=user, order_id=order_id, data=data,
                                      idempotency_key=key)
