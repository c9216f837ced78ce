"""Orders in any state for the order-list and after-sales page tests, made through the
services (place, pay in the sandbox, ship, deliver, confirm, cancel, refund, settle)."""

import itertools
from dataclasses import dataclass
from datetime import timedelta

from quanzi.accounts.schemas import UserOut
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders import lifecycle, paying, queries, refunds
from quanzi.orders.access import Actor
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, RefundCreate, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from tests.factories import ADDRESS, make_product, make_supplier, make_user

_keys = itertools.count(1)
SHIP = ShipIn(carrier="顺丰", tracking_no="SF1234567")


@dataclass(frozen=True)
class Shop:
    """A supplier with one SKU (¥30.00 each, plenty in stock) and a staff account."""

    supplier_id: int
    sku_id: int
    staff: UserOut

    @property
    def seller(self) -> Actor:
        return Actor(id=self.staff.id, roles=tuple(self.staff.roles),
                     supplier_id=self.supplier_id)


def shop(name: str) -> Shop:
    supplier_id = make_supplier(name)
    (sku_id,) = make_product(supplier_id, [("1箱", 3000, 500)], title=f"{name}的货")
    return Shop(supplier_id, sku_id, make_user("supplier", supplier_id=supplier_id))


def buyer_actor(buyer: UserOut) -> Actor:
    return Actor(id=buyer.id, roles=tuple(buyer.roles))


def order(at: Shop, state: str = "paid", *, buyer: UserOut | None = None,
          quantity: int = 1) -> int:
    """An order of ``quantity`` units moved to ``state`` through the services; its id.

    ``state``: pending_payment, cancelled, paid, shipped, delivered, completed,
    refunded (before shipping) or settled (completed, then settled).
    """
    buyer = buyer or make_user()
    key = f"od-{next(_keys)}"
    order_id: int = place_order(buyer_id=buyer.id, idempotency_key=key, data=OrderCreate(
        items=[{"sku_id": at.sku_id, "quantity": quantity}], address=ADDRESS)).id
    if state == "cancelled":
        lifecycle.cancel(actor=buyer_actor(buyer), order_id=order_id)
    if state in ("pending_payment", "cancelled"):
        return order_id
    intent = paying.start_payment(order_id=order_id, payer_id=buyer.id,
                                  provider_name="sandbox", idempotency_key=key)
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer.id)
    if state == "refunded":
        line_id = _line_of(order_id, buyer)
        refunds.request_refund(actor=buyer_actor(buyer), order_id=order_id, idempotency_key=key,
                               data=RefundCreate(lines=[{"line_id": line_id,
                                                         "quantity": quantity}], reason="不要了"))
    if state in ("shipped", "delivered", "completed", "settled"):
        lifecycle.ship(actor=at.seller, order_id=order_id, data=SHIP)
    if state == "delivered":
        lifecycle.deliver(actor=at.seller, order_id=order_id)
    if state in ("completed", "settled"):
        lifecycle.confirm(actor=buyer_actor(buyer), order_id=order_id)
    if state == "settled":
        assert settle_due(clock.now() + timedelta(days=8)) >= 1
    return order_id


def _line_of(order_id: int, buyer: UserOut) -> int:
    with read_session() as session:
        return queries.get_order(session, buyer_actor(buyer), order_id).lines[0].id
