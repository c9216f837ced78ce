"""Placing an order in a batch: an ordinary order, collected at a pickup point.

The order goes through ``orders.placing.create_order`` (escrow, ledger, idempotency,
attribution by ``share_code``, refunds: all as for any order) at the batch's prices, as
kind ``batch`` on the ``pickup_order`` hold (never in the shipping queue), with no
address: the pickup point stands where the address would be. Its row here keeps the
point, a fresh pickup code, and the point's leader and the batch's rate as they are now.

The units come from the batch's allotment (``stock_left``, taken from the SKUs when the
batch was made), by a conditional update per item as the last step before the order's
row here, so the hot row is locked only for the end of the transaction; it cannot be
oversold. A batch sells from ``opens_at`` until
before ``cuts_off_at``, whatever the sweeps have done yet: one second late is a 409
``cut_off`` naming the next batch taking orders. The unpaid order's payment deadline is
never after the cut-off.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quanzi.community import batches, codes, domain
from quanzi.community.models import Batch, BatchItem, BatchOrder, ChosenPoint, PickupPoint
from quanzi.community.schemas import BatchOrderCreate
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import changed_rows
from quanzi.core.errors import Conflict, InvalidInput, NotFound
from quanzi.core.idempotency import run_once
from quanzi.orders.placing import Item, create_order
from quanzi.orders.schemas import OrderOut
from quanzi.orders.views import order_out

__all__ = ["place_batch_order"]


def place_batch_order(*, buyer_id: int, batch_id: int, data: BatchOrderCreate,
                      idempotency_key: str, visitor_id: str | None = None) -> OrderOut:
    """Order in a batch once per idempotency key; 201 the order with ``pickup_point_id``.

    Errors: 404 unknown batch or point (or none chosen and none given: 422
    ``no_pickup_point``); 409 ``not_started``, ``cut_off``, ``sold_out``,
    ``point_paused``; 422 a SKU not in the batch.
    """
    body = {"batch_id": batch_id, **data.model_dump(mode="json")}

    def work(session: Session) -> OrderOut:
        return _place(session, buyer_id, batch_id, data, visitor_id)

    return run_once(f"batch-order:{buyer_id}", idempotency_key, body, work, answer=OrderOut)


def _place(session: Session, buyer_id: int, batch_id: int, data: BatchOrderCreate,
           visitor_id: str | None) -> OrderOut:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such batch")
    now = clock.now()
    _check_selling(session, batch, now)
    point = _point(session, buyer_id, data.pickup_point_id)
    items = _items(session, batch, data)
    timeout = min(get_settings().payment_timeout, batch.cuts_off_at - now)
    order = create_order(
        session, buyer_id=buyer_id, items=items, kind="batch",
        campaign_ref=f"batch:{batch.id}", share_code=data.share_code, visitor_id=visitor_id,
        address={"pickup_point_id": point.id, "name": point.name, "community": point.community,
                 "region": f"{point.province} {point.city} {point.district}",
                 "detail": point.address},
        pay_timeout=max(timeout, timedelta(seconds=1)))
    code = codes.new_code(session)
    _take_stock(session, batch, items, now)
    session.add(BatchOrder(order_id=order.id, batch_id=batch.id, pickup_point_id=point.id,
                           buyer_id=buyer_id, pickup_code=code,
                           leader_id=point.leader_id, leader_rate_bps=batch.leader_rate_bps,
                           created_at=now))
    session.flush()
    return order_out(order).model_copy(update={"pickup_point_id": point.id})


def _check_selling(session: Session, batch: Batch, now: datetime) -> None:
    try:
        domain.check_selling(batch.status, batch.opens_at, batch.cuts_off_at, now)
    except domain.CutOff:
        following = batches.next_open_batch(session, batch, now)
        domain.check_selling(batch.status, batch.opens_at, batch.cuts_off_at, now, following)


def _point(session: Session, buyer_id: int, point_id: int | None) -> PickupPoint:
    if point_id is None:
        point_id = session.scalar(select(ChosenPoint.pickup_point_id)
                                  .where(ChosenPoint.user_id == buyer_id))
        if point_id is None:
            raise InvalidInput("choose a pickup point first", code="no_pickup_point")
    point = session.get(PickupPoint, point_id)
    if point is None or point.status not in ("live", "paused"):
        raise NotFound("no such pickup point")
    if point.status != "live":
        raise Conflict("this pickup point is not taking orders now", code="point_paused")
    return point


def _items(session: Session, batch: Batch, data: BatchOrderCreate) -> list[Item]:
    """The order's items at the batch's prices (422 for a SKU not in the batch)."""
    wanted: dict[int, int] = {}
    for line in data.items:
        wanted[line.sku_id] = wanted.get(line.sku_id, 0) + line.quantity
    prices = dict(session.execute(select(BatchItem.sku_id, BatchItem.price_fen).where(
        BatchItem.batch_id == batch.id, BatchItem.sku_id.in_(wanted))).all())
    unknown = sorted(set(wanted) - set(prices))
    if unknown:
        raise InvalidInput(f"SKU {unknown[0]} is not in this batch", code="unknown_sku")
    return [Item(sku_id, quantity, prices[sku_id]) for sku_id, quantity in wanted.items()]


def _take_stock(session: Session, batch: Batch, items: list[Item], now: datetime) -> None:
    """Each item's units from the batch item's ``stock_left`` (conditional, in SKU order
    so two orders never wait on each other in a circle); 409 ``sold_out`` if one falls
    short (the transaction is rolled back, order and all), or ``cut_off`` when the
    cut-off, which empties ``stock_left``, got there first."""
    wanted = {item.sku_id: item.quantity for item in items}
    for sku_id in sorted(wanted):
        if not changed_rows(session, update(BatchItem).where(
                BatchItem.batch_id == batch.id, BatchItem.sku_id == sku_id,
                BatchItem.stock_left >= wanted[sku_id])
                .values(stock_left=BatchItem.stock_left - wanted[sku_id])
                .execution_options(synchronize_session=False)):
            session.refresh(batch)
            _check_selling(session, batch, now)
            raise Conflict(f"SKU {sku_id} is sold out in this batch", code="sold_out")
