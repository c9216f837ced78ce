"""What an order tells other domains, one model per kind of event (``core.events``).

Each is written to the outbox in the transaction of the change it describes and handed
to its handlers typed. The JSON of every kind is the payload the outbox held before the
events were typed, so rows written then read back as these models.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from quanzi.core.events import Event

__all__ = ["OrderCancelled", "OrderCompleted", "OrderDepositPaid", "OrderPaid",
           "OrderRefunded", "OrderSettled", "OrderShipped", "PaidLine", "RefundedLine"]


class PaidLine(BaseModel):
    """One line of a paid order: what its commissions and sold counters need."""

    model_config = ConfigDict(frozen=True)

    line_id: int
    product_id: int
    category: str | None
    quantity: int
    amount_fen: int


class RefundedLine(BaseModel):
    """How much of one line a refund gave back."""

    model_config = ConfigDict(frozen=True)

    line_id: int
    quantity: int
    amount_fen: int


class OrderPaid(Event):
    """``order.paid``: the order is paid in full (``payment_id`` None when nothing was due).

    ``attribution`` is the order's attribution snapshot (``referral.attribution``)."""

    name = "order.paid"

    order_id: int
    buyer_id: int
    supplier_id: int
    kind: str
    campaign_ref: str | None
    total_fen: int
    attribution: dict[str, Any] | None
    lines: tuple[PaidLine, ...]
    payment_id: int | None = None


class OrderDepositPaid(Event):
    """``order.deposit_paid``: a presale's deposit arrived; the balance is still due."""

    name = "order.deposit_paid"

    order_id: int
    kind: str
    campaign_ref: str | None


class OrderCancelled(Event):
    """``order.cancelled``: an unpaid order was cancelled (or its balance lapsed)."""

    name = "order.cancelled"

    order_id: int
    kind: str
    campaign_ref: str | None


class OrderShipped(Event):
    name = "order.shipped"

    order_id: int


class OrderCompleted(Event):
    """``order.completed``: the buyer confirmed receipt; the return window starts."""

    name = "order.completed"

    order_id: int


class OrderRefunded(Event):
    """``order.refunded``: a refund was granted. ``price_difference``: the goods were kept
    and only the price came down; ``after_settlement``: money was clawed back."""

    name = "order.refunded"

    order_id: int
    refund_id: int
    amount_fen: int
    lines: tuple[RefundedLine, ...]
    price_difference: bool = False
    after_settlement: bool = False


class OrderSettled(Event):
    """``order.settled``: the order's money left escrow (gross = fee + supplier + commissions)."""

    name = "order.settled"

    order_id: int
    gross_fen: int
    fee_fen: int
    supplier_fen: int
