"""/api/v1 for community batches (团期): create, list, order, pick list, dispatch; the
leader's arrive, orders and pickups; a batch order's pickup QR."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from quanzi.accounts.identity import Identity
from quanzi.api.deps import (
    CurrentUser,
    Id,
    IdempotencyKey,
    ReadSession,
    ShareCookies,
    SupplierOrOperator,
    require,
)
from quanzi.api.errors import ERROR_RESPONSES, LIMITED_RESPONSES, ErrorBody
from quanzi.community import batches, codes, domain, ordering, pickups, queries
from quanzi.community.schemas import (
    ArrivalOut,
    BatchCreate,
    BatchList,
    BatchOrderCreate,
    BatchOut,
    DispatchNote,
    DispatchNoteList,
    LeaderOrderList,
    LeaderRateIn,
    PickList,
    PickupIn,
)
from quanzi.core.errors import InvalidTransition, NotFound
from quanzi.orders import queries as order_queries
from quanzi.orders.schemas import OrderOut

router = APIRouter(tags=["community"], responses=ERROR_RESPONSES)

Leader = Annotated[Identity, Depends(require("leader"))]
BatchStatus = Literal["scheduled", "open", "cut_off", "dispatched", "arrived", "closed"]


@router.post("/batches", status_code=201, response_model=BatchOut)
def create(data: BatchCreate, user: SupplierOrOperator) -> BatchOut:
    """A batch of one supplier's SKUs, each at its batch price with its own stock."""
    return batches.create_batch(actor=user, data=data)


@router.get("/batches", response_model=BatchList)
def list_batches(session: ReadSession, status: BatchStatus | None = None) -> BatchList:
    """Batches, soonest cut-off first (``status=open``: those taking orders)."""
    return BatchList(items=queries.batches(session, status))


@router.get("/batches/{batch_id}", response_model=BatchOut)
def get(batch_id: Id, session: ReadSession) -> BatchOut:
    return queries.get_batch(session, batch_id)


@router.put("/batches/{batch_id}/leader-rate", response_model=BatchOut)
def change_rate(batch_id: Id, data: LeaderRateIn, user: SupplierOrOperator) -> BatchOut:
    """A new leader's rate for orders placed from now on; orders placed keep theirs, and
    a batch past its cut-off keeps its rate (409)."""
    return batches.change_rate(actor=user, batch_id=batch_id, rate_bps=data.leader_rate_bps)


class BatchRefusalBody(ErrorBody):
    next_batch_id: int | None = Field(
        default=None, description="with cut_off: the next batch taking orders, null if none")


class BatchRefusal(BaseModel):
    error: BatchRefusalBody


@router.post("/batches/{batch_id}/orders", status_code=201, response_model=OrderOut,
             responses={409: {"model": BatchRefusal, "description":
                              "not_started, cut_off (with next_batch_id), sold_out, "
                              "point_paused"}})
def order(batch_id: Id, data: BatchOrderCreate, user: CurrentUser, key: IdempotencyKey,
          cookies: ShareCookies) -> OrderOut:
    """Order in the batch for collection at ``pickup_point_id`` (default: my chosen point).

    409 ``not_started``, ``cut_off`` (its ``next_batch_id`` names the next batch taking
    orders, ``null`` when none), ``sold_out``. Pay it with ``/orders/{id}/pay`` like any
    order."""
    came = cookies.with_code(data.share_code)
    data = data.model_copy(update={"share_code": came.share_code})
    return ordering.place_batch_order(buyer_id=user.id, batch_id=batch_id, data=data,
                                      idempotency_key=key, visitor_id=came.visitor_id)


@router.get("/batches/{batch_id}/pick-list", response_model=PickList)
def pick_list(batch_id: Id, user: SupplierOrOperator, session: ReadSession) -> PickList:
    """The picking list frozen at the cut-off: paid orders' units per SKU and per point."""
    batch = batches.seller_batch(session, user, batch_id)
    if batch.status in domain.SELLING:
        raise InvalidTransition("batch", batch.status, "make the pick list of",
                                reason="it is made at the cut-off")
    return queries.pick_list(session, batch)


@router.get("/batches/{batch_id}/dispatch-notes", response_model=DispatchNoteList)
def dispatch_notes(batch_id: Id, user: SupplierOrOperator,
                   session: ReadSession) -> DispatchNoteList:
    """The dispatch notes frozen at the cut-off, one per point, in handing-out order."""
    batch = batches.seller_batch(session, user, batch_id)
    return DispatchNoteList(items=queries.dispatch_notes(session, batch))


@router.post("/batches/{batch_id}/dispatch", response_model=BatchOut)
def dispatch(batch_id: Id, user: SupplierOrOperator) -> BatchOut:
    """The goods leave for the points (cut_off → dispatched)."""
    return batches.dispatch(actor=user, batch_id=batch_id)


@router.post("/leader/batches/{batch_id}/arrive", response_model=ArrivalOut)
def arrive(batch_id: Id, user: Leader) -> ArrivalOut:
    """The batch's goods arrived at my point: its buyers may collect them now."""
    return pickups.arrive(leader=user, batch_id=batch_id)


@router.get("/leader/batches/{batch_id}/orders", response_model=LeaderOrderList)
def leader_orders(batch_id: Id, user: Leader, session: ReadSession) -> LeaderOrderList:
    """My point's paid orders in the batch (phones show their last 4 digits only)."""
    return queries.leader_orders(session, user, batch_id)


@router.get("/leader/batches/{batch_id}/dispatch-note", response_model=DispatchNote)
def leader_note(batch_id: Id, user: Leader, session: ReadSession) -> DispatchNote:
    """My point's dispatch note (no lines before the cut-off makes it)."""
    return queries.leader_note(session, user, batch_id)


@router.post("/leader/pickups", response_model=OrderOut, responses=LIMITED_RESPONSES)
def verify(data: PickupIn, user: Leader) -> OrderOut:
    """Verify a buyer's pickup code (核销): the order is collected (``completed``).

    404 ``unknown_code``; 403 ``other_point``; 409 ``already_picked_up``,
    ``refund_pending``, ``not_arrived``; 429 ``rate_limited`` (with Retry-After) once
    this leader's refused attempts used up ``QUANZI_RATE_LIMIT_PICKUP``."""
    return pickups.verify(leader=user, code=data.code)


@router.get("/orders/{order_id}/pickup-qr.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def pickup_qr(order_id: Id, user: CurrentUser, session: ReadSession) -> Response:
    """The QR of a paid batch order's pickup code, for its buyer only (404 otherwise)."""
    order = queries.with_pickup(session, user.id,
                                order_queries.get_order(session, user, order_id))
    if order.pickup_code is None:
        raise NotFound("no pickup code for this order")
    return Response(codes.qr_png(order.pickup_code), media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})
