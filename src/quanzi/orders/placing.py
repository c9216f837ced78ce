"""Placing an order: price it, reserve its stock, snapshot its address and attribution.

The hot path of every sale. Creating an order of three lines takes about ten SQL
statements and never calls the network.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from quanzi.accounts.services import address_snapshot
from quanzi.catalog import stock
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import as_loaded, table
from quanzi.core.errors import Conflict, InvalidInput
from quanzi.core.idempotency import run_once
from quanzi.orders import lifecycle, ports
from quanzi.orders.domain import ALLOTTED_KINDS, HOLDS, PENDING, check_size
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.schemas import OrderCreate, OrderOut
from quanzi.orders.views import order_out

# Core inserts, built once: the unit of work cost several times the statements
_NEW_ORDER = insert(table(Order)).returning(table(Order).c.id)
_NEW_LINES = insert(table(OrderLine)).returning(table(OrderLine).c.id,
                                                sort_by_parameter_order=True)
_NOT_YET = dict.fromkeys(("carrier", "tracking_no", "paid_at", "shipped_at", "delivered_at",
                          "completed_at", "cancelled_at", "settled_at"))  # a new order's


@dataclass(frozen=True)
class Item:
    sku_id: int
    quantity: int
    unit_price_fen: int | None = None  # a campaign price; None means the SKU's price


class NewLine(TypedDict):
    """An order line's columns as ``create_order`` inserts them (``order_id`` added then)."""

    sku_id: int
    product_id: int
    title: str
    spec: str
    category: str | None
    quantity: int
    price_fen: int
    refunded_quantity: int
    refunded_fen: int


def place_order(*, buyer_id: int, data: OrderCreate, idempotency_key: str,
                visitor_id: str | None = None) -> OrderOut:
    """Create a ``pending_payment`` order once per idempotency key; returns the order.

    Errors: 422 unknown SKU, mixed suppliers or ``order_too_large`` (a total above
    ``QUANZI_MAX_ORDER_FEN``); 409 off shelf or out of stock (and nothing is reserved);
    404 unknown ``address_id``.
    """
    body = data.model_dump(mode="json")

    def work(session: Session) -> OrderOut:
        address = (data.address.model_dump() if data.address is not None
                   else address_snapshot(session, buyer_id, data.address_id or 0))
        items = [Item(i.sku_id, i.quantity) for i in data.items]
        order = create_order(session, buyer_id=buyer_id, items=items, address=address,
                             share_code=data.share_code, visitor_id=visitor_id)
        return order_out(order)

    return run_once(f"order:{buyer_id}", idempotency_key, body, work, answer=OrderOut)


def create_order(session: Session, *, buyer_id: int, items: list[Item], address: dict[str, Any],
                 share_code: str | None = None, visitor_id: str | None = None,
                 kind: str = "normal", campaign_ref: str | None = None,
                 pay_timeout: timedelta | None = None,
                 deposit: tuple[int, datetime, datetime] | None = None) -> Order:
    """Reserve stock and write the order in the caller's transaction (flushes only).

    An order of 0 fen is paid at once (``lifecycle.pay_nothing_due``), in this transaction.

    Campaigns call this with their own ``Item.unit_price_fen``, ``kind`` (``flash_sale``,
    ``group_buy``...), ``campaign_ref`` (e.g. ``"group:12"``, carried in the order's
    events) and payment timeout; a presale gives ``deposit`` = (deposit fen, and the
    window in which the balance may be paid). A campaign price is never above the SKU's
    list price: one that is (the list price was lowered after the campaign was made) is
    a 409 ``price_above_list`` and nothing is written.
    """
    merged = _merge(items)
    skus = stock.skus_for_sale(session, list(merged))
    missing = sorted(set(merged) - set(skus))
    if missing:
        raise InvalidInput(f"unknown SKU(s): {', '.join(map(str, missing))}", code="unknown_sku")
    suppliers = {sku.supplier_id for sku in skus.values()}
    if len(suppliers) > 1:
        raise InvalidInput("an order holds goods of one supplier: place one order per supplier",
                           code="mixed_suppliers")
    off = [sku_id for sku_id, sku in skus.items() if not sku.on_shelf]
    if off:
        raise Conflict(f"SKU {off[0]} is off the shelf", code="off_shelf")
    if any(price is not None and price > skus[sku_id].price_fen
           for sku_id, (_, price) in merged.items()):
        raise Conflict("the campaign price is above the SKU's list price now",
                       code="price_above_list")
    prices = {sku_id: price if price is not None else skus[sku_id].price_fen
              for sku_id, (_, price) in merged.items()}
    check_size([(quantity, prices[sku_id]) for sku_id, (quantity, _) in merged.items()],
               get_settings().max_order_fen)
    now = clock.now()
    lines = [NewLine(sku_id=sku_id, product_id=skus[sku_id].product_id,
                     title=skus[sku_id].title, spec=skus[sku_id].spec,
                     category=skus[sku_id].category, quantity=quantity,
                     price_fen=prices[sku_id], refunded_quantity=0, refunded_fen=0)
             for sku_id, (quantity, _) in merged.items()]
    sku = next(iter(skus.values()))
    row = {"buyer_id": buyer_id, "supplier_id": sku.supplier_id, "status": PENDING,
           "total_fen": sum(line["price_fen"] * line["quantity"] for line in lines),
           "fee_bp": sku.fee_bp, "refunded_fen": 0, "address": address, "kind": kind,
           "campaign_ref": campaign_ref, "hold": HOLDS.get(kind),
           "deposit_fen": deposit[0] if deposit else None,
           "balance_from": deposit[1] if deposit else None,
           "balance_until": deposit[2] if deposit else None,
           "attribution": ports.commissions().attribute(
               session, buyer_id=buyer_id, share_code=share_code, visitor_id=visitor_id,
               now=now),
           "created_at": now,
           "pay_deadline": now + (pay_timeout or get_settings().payment_timeout),
           **_NOT_YET}
    order_id = session.execute(_NEW_ORDER, row).scalar_one()
    order = as_loaded(session, Order, {**row, "id": order_id})
    with_order = [{**line, "order_id": order_id} for line in lines]
    line_ids = session.execute(_NEW_LINES, with_order).scalars().all()
    set_committed_value(order, "lines", [as_loaded(session, OrderLine, {**line, "id": line_id})
                                         for line, line_id in zip(with_order, line_ids,
                                                                  strict=True)])
    if kind not in ALLOTTED_KINDS:  # an allotment was taken from the SKU beforehand
        _reserve(session, merged, skus)
    if order.total_fen == 0:  # nothing to pay (0元砍价, a 0-price flash sale): paid now
        lifecycle.pay_nothing_due(session, order)
    return order


def _reserve(session: Session, merged: dict[int, tuple[int, int | None]],
             skus: dict[int, stock.SkuForSale]) -> None:
    """Take the order's units from stock, or raise 409 ``out_of_stock`` (the caller's
    transaction then rolls back everything it wrote). Done last, after the order and its
    lines are written: a SKU's row is what every buyer of a popular product updates, and
    on PostgreSQL its lock is held from this update to the commit. SKUs are taken in
    the order of their ids, so two orders of the same SKUs never wait for each other in
    a circle. The message names the SKUs that were short when read (all of the order's,
    if another buyer took the units in between)."""
    takes = sorted((sku_id, quantity) for sku_id, (quantity, _) in merged.items())
    if not stock.reserve_all(session, takes):
        short = [sku for sku, quantity in takes if skus[sku].stock < quantity]
        named = ", ".join(str(sku) for sku in short or [sku for sku, _ in takes])
        raise Conflict(f"not enough stock for SKU {named}", code="out_of_stock")


def _merge(items: list[Item]) -> dict[int, tuple[int, int | None]]:
    """SKU id → (total quantity, unit price); a SKU listed twice is one line."""
    quantities: Counter[int] = Counter()
    prices: dict[int, int | None] = {}
    for item in items:
        if item.quantity < 1:
            raise InvalidInput("quantity must be at least 1")
        quantities[item.sku_id] += item.quantity
        prices.setdefault(item.sku_id, item.unit_price_fen)
    return {sku_id: (quantities[sku_id], prices[sku_id]) for sku_id in quantities}
