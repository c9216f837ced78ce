"""A batch order on its order page: where it is collected and, once paid, its pickup
code large with its QR (``community/partials/order_pickup.html``, included by
``orders/detail.html`` when :func:`pickup_for` gives something)."""

from dataclasses import dataclass

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from quanzi.accounts.identity import Identity
from quanzi.community import codes, lookups, queries
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.orders import queries as order_queries
from quanzi.orders.schemas import OrderOut
from quanzi.web.kit.labels import BATCH_ORDER_STATUS
from quanzi.web.kit.pages import PageRoute, SignedIn

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MAX_ID = 2_147_483_647


@dataclass(frozen=True)
class OrderPickup:
    """What the order page shows of a batch order (``code`` only to its buyer, once paid)."""

    where: lookups.Pickup
    code: str | None
    grouped: str | None

    @property
    def state(self) -> str:
        """待取货 (not arrived yet), 待取货·已到货, or 已取货 (as the order's badge words them)."""
        if self.where.picked_up_at:
            return BATCH_ORDER_STATUS["completed"]
        return BATCH_ORDER_STATUS["arrived" if self.where.arrived_at else "paid"]


def pickup_for(session: Session, user: Identity, order: OrderOut) -> OrderPickup | None:
    """The pickup of ``order`` as ``user`` may see it; None for an order not in a batch."""
    where = lookups.pickup_of(session, order.id)
    if where is None:
        return None
    code = queries.with_pickup(session, user.id, order).pickup_code
    return OrderPickup(where, code, codes.grouped(code) if code else None)


@router.get("/community/orders/{order_id}/qr.png")
def pickup_qr(order_id: int, user: SignedIn) -> Response:
    """The QR of the pickup code, for the order's buyer once paid (404 otherwise)."""
    if not 1 <= order_id <= MAX_ID:
        raise NotFound("没有这个订单。")
    with read_session() as session:
        order = queries.with_pickup(session, user.id,
                                    order_queries.get_order(session, user, order_id))
    if order.pickup_code is None:
        raise NotFound("没有这个订单。")
    return Response(codes.qr_png(order.pickup_code), media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})

