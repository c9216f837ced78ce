"""Batches (团期): created by an operator or the supplier, moved through their states.

scheduled → open → cut_off → dispatched → arrived → closed. The worker opens and cuts
off batches at their times (``sweeps``); the supplier dispatches, each point's leader
records the arrival, and the batch closes when nothing is left to collect. Every move is
one conditional ``UPDATE … WHERE status = :current``: a move that lost a race, or is
illegal, is a 409 naming the state.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from quanzi.accounts.identity import Identity
from quanzi.catalog import stock
from quanzi.community import domain
from quanzi.community.models import Batch, BatchItem, BatchOrder
from quanzi.community.schemas import BatchCreate, BatchItemOut, BatchOut
from quanzi.core import clock
from quanzi.core.db import changed_rows, transaction
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from quanzi.orders import pickup_support

__all__ = ["batch_out", "change_rate", "create_batch", "dispatch", "move", "seller_batch"]


def create_batch(*, actor: Identity, data: BatchCreate) -> BatchOut:
    """A new batch of one supplier's SKUs: ``scheduled``, or ``open`` when it opens now.

    Each item's ``stock`` leaves its SKU's stock now (the batch's allotment: its orders
    never lock the SKU's row); what is left unsold goes back at the cut-off. 409
    ``out_of_stock`` when a SKU has fewer units. 422 for times out of order, an unknown
    SKU, SKUs of several suppliers, a batch price above the SKU's list price or a
    leader's rate above ``MAX_LEADER_RATE_BPS``; 403 for a supplier listing another
    supplier's SKUs.
    """
    problem = domain.check_times(data.opens_at, data.cuts_off_at, data.pickup_from)
    if problem:
        raise InvalidInput(problem, code="bad_times")
    if data.leader_rate_bps > domain.MAX_LEADER_RATE_BPS:
        raise InvalidInput(f"a leader's rate may be at most {domain.MAX_LEADER_RATE_BPS} bps")
    sku_ids = [item.sku_id for item in data.items]
    if len(set(sku_ids)) != len(sku_ids):
        raise InvalidInput("each SKU once per batch")
    with transaction() as session:
        supplier_id = _supplier_of(session, actor, data)
        now = clock.now()
        batch = Batch(title=data.title, supplier_id=supplier_id,
                      status=domain.OPEN if data.opens_at <= now else domain.SCHEDULED,
                      opens_at=data.opens_at, cuts_off_at=data.cuts_off_at,
                      pickup_from=data.pickup_from, leader_rate_bps=data.leader_rate_bps,
                      created_by=actor.id, created_at=now)
        session.add(batch)
        session.flush()
        for item in sorted(data.items, key=lambda item: item.sku_id):
            if not stock.reserve(session, item.sku_id, item.stock):
                raise Conflict(f"SKU {item.sku_id} has fewer than {item.stock} units in stock",
                               code="out_of_stock")
        session.add_all(BatchItem(batch_id=batch.id, sku_id=item.sku_id,
                                  price_fen=item.price_fen, stock=item.stock,
                                  stock_left=item.stock,
                                  min_qty_per_point=item.min_qty_per_point or 0)
                        for item in data.items)
        session.flush()
        return batch_out(session, batch)


def _supplier_of(session: Session, actor: Identity, data: BatchCreate) -> int:
    skus = stock.skus_for_sale(session, [item.sku_id for item in data.items])
    missing = sorted({item.sku_id for item in data.items} - set(skus))
    if missing:
        raise InvalidInput(f"unknown SKU(s): {', '.join(map(str, missing))}", code="unknown_sku")
    suppliers = {sku.supplier_id for sku in skus.values()}
    if len(suppliers) > 1:
        raise InvalidInput("a batch holds goods of one supplier", code="mixed_suppliers")
    supplier_id = suppliers.pop()
    if not actor.is_operator and actor.supplier_id != supplier_id:
        raise Forbidden("a supplier makes batches of its own goods only")
    above = [item.sku_id for item in data.items if item.price_fen > skus[item.sku_id].price_fen]
    if above:
        raise InvalidInput(f"the batch price of SKU {above[0]} is above its list price",
                           code="price_above_list")
    return supplier_id


def batch_out(session: Session, batch: Batch) -> BatchOut:
    items = list(session.scalars(select(BatchItem).where(BatchItem.batch_id == batch.id)
                                 .order_by(BatchItem.id)))
    skus = stock.skus_for_sale(session, [item.sku_id for item in items])
    return BatchOut(
        id=batch.id, title=batch.title, status=batch.status, supplier_id=batch.supplier_id,
        opens_at=batch.opens_at, cuts_off_at=batch.cuts_off_at, pickup_from=batch.pickup_from,
        leader_rate_bps=batch.leader_rate_bps,
        items=[BatchItemOut(id=item.id, sku_id=item.sku_id,
                            product_id=skus[item.sku_id].product_id,
                            title=skus[item.sku_id].title, spec=skus[item.sku_id].spec,
                            price_fen=item.price_fen, stock=item.stock,
                            stock_left=item.stock_left,
                            min_qty_per_point=item.min_qty_per_point or None)
               for item in items])


def move(session: Session, batch: Batch, action: str, **values: Any) -> None:
    """Apply ``action`` if the batch's stored status allows it (flushes); else 409."""
    target = domain.next_status(batch.status, action)
    if not changed_rows(session, update(Batch).where(Batch.id == batch.id,
                                                     Batch.status == batch.status)
                        .values(status=target, **values)
                        .execution_options(synchronize_session=False)):
        session.refresh(batch)
        raise InvalidTransition("batch", batch.status, action)
    for key, value in {"status": target, **values}.items():
        set_committed_value(batch, key, value)


def seller_batch(session: Session, actor: Identity, batch_id: int) -> Batch:
    """The batch, for its supplier's staff or an operator (403 for anyone else: batches
    are public, so their existence is no secret)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such batch")
    if not (actor.is_operator or ("supplier" in actor.roles
                                  and actor.supplier_id == batch.supplier_id)):
        raise Forbidden("only the batch's supplier or an operator can do this")
    return batch


def dispatch(*, actor: Identity, batch_id: int) -> BatchOut:
    """The supplier sends the goods to the points (cut_off → dispatched): the batch's paid
    orders are marked as gone (a refund asked for now waits for a decision)."""
    with transaction() as session:
        batch = seller_batch(session, actor, batch_id)
        move(session, batch, "dispatch", dispatched_at=clock.now())
        order_ids = session.scalars(select(BatchOrder.order_id)
                                    .where(BatchOrder.batch_id == batch.id))
        pickup_support.mark_dispatched(session, order_ids)
        return batch_out(session, batch)


def change_rate(*, actor: Identity, batch_id: int, rate_bps: int) -> BatchOut:
    """A new leader's rate for the orders placed from now on (orders placed keep theirs);
    409 once the batch is cut off."""
    if rate_bps > domain.MAX_LEADER_RATE_BPS:
        raise InvalidInput(f"a leader's rate may be at most {domain.MAX_LEADER_RATE_BPS} bps")
    with transaction() as session:
        batch = seller_batch(session, actor, batch_id)
        if not changed_rows(session, update(Batch).where(
                Batch.id == batch.id, Batch.status.in_(domain.RATE_CHANGEABLE))
                .values(leader_rate_bps=rate_bps).execution_options(synchronize_session=False)):
            raise Conflict(f"the rate of a batch that is {batch.status} stays as it was",
                           code="invalid_transition")
        session.refresh(batch)
        return batch_out(session, batch)


def next_open_batch(session: Session, after: Batch, now: datetime) -> int | None:
    """Another batch taking orders now, soonest cut-off first (where to send a buyer who
    came too late)."""
    return session.scalar(select(Batch.id).where(
        Batch.id != after.id, Batch.status.in_(domain.SELLING), Batch.opens_at <= now,
        Batch.cuts_off_at > now)
        .order_by(Batch.cuts_off_at, Batch.id).limit(1))
