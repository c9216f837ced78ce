"""ORM rows → API shapes."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row

from quanzi.orders.models import Order, Refund, RefundPhoto
from quanzi.orders.schemas import OrderLineOut, OrderOut, RefundOut, RefundPhotoOut


def order_out(order: Order) -> OrderOut:
    return _order_out(order, order.lines)


def order_row_out(order: Row[Any], lines: Iterable[Row[Any]]) -> OrderOut:
    """An order read as table rows (``select(table(Order))``, its lines' likewise)."""
    return _order_out(order, lines)


def _order_out(order: Any, lines: Iterable[Any]) -> OrderOut:
    return OrderOut(
        id=order.id, status=order.status, buyer_id=order.buyer_id,
        supplier_id=order.supplier_id, kind=order.kind, campaign_ref=order.campaign_ref,
        hold=order.hold,
        total_fen=order.total_fen, deposit_fen=order.deposit_fen,
        balance_from=order.balance_from,
        refunded_fen=order.refunded_fen, address=order.address, attribution=order.attribution,
        carrier=order.carrier, tracking_no=order.tracking_no, created_at=order.created_at,
        pay_deadline=order.pay_deadline, paid_at=order.paid_at, shipped_at=order.shipped_at,
        delivered_at=order.delivered_at, completed_at=order.completed_at,
        cancelled_at=order.cancelled_at, settled_at=order.settled_at,
        lines=[OrderLineOut(id=line.id, sku_id=line.sku_id, product_id=line.product_id,
                            title=line.title, spec=line.spec, quantity=line.quantity,
                            price_fen=line.price_fen, refunded_quantity=line.refunded_quantity,
                            refunded_fen=line.refunded_fen) for line in lines])


def refund_out(refund: Refund) -> RefundOut:
    return RefundOut(id=refund.id, order_id=refund.order_id, status=refund.status,
                     amount_fen=refund.amount_fen, reason=refund.reason,
                     reason_code=refund.reason_code, lines=refund.lines,
                     decision_note=refund.decision_note, created_at=refund.created_at,
                     decided_at=refund.decided_at, decide_by=refund.decide_by,
                     photos=[photo_out(photo) for photo in refund.photos])


def photo_out(photo: RefundPhoto) -> RefundPhotoOut:
    return RefundPhotoOut(id=photo.id, url=f"/api/v1/refund-photos/{photo.id}",
                          width=photo.width, height=photo.height)
