"""Pure rules of orders: the state machine, refund limits, time windows, the settlement
split."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from quanzi.core import money
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition

PENDING = "pending_payment"
DEPOSIT_PAID = "deposit_paid"  # a presale whose deposit is in, the balance not yet
PAID = "paid"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"

STATUSES = (PENDING, DEPOSIT_PAID, PAID, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REFUNDED)

# action → {from status: to status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "pay": {PENDING: PAID, DEPOSIT_PAID: PAID},
    "pay_deposit": {PENDING: DEPOSIT_PAID},
    "cancel": {PENDING: CANCELLED},
    "lapse": {DEPOSIT_PAID: CANCELLED},  # a presale's balance was not paid in time
    "revive": {CANCELLED: PAID},  # a payment that arrived after the timeout, stock still there
    "ship": {PAID: SHIPPED},
    "deliver": {SHIPPED: DELIVERED},
    "confirm": {SHIPPED: COMPLETED, DELIVERED: COMPLETED},
    "pick_up": {PAID: COMPLETED},  # a community batch order collected at its pickup point
    "refund_all": {PAID: REFUNDED, SHIPPED: REFUNDED, DELIVERED: REFUNDED, COMPLETED: REFUNDED},
}

REFUNDABLE = (PAID, SHIPPED, DELIVERED, COMPLETED)

# why a buyer asks for a refund (code → the words 拼多多 and 有赞 buyers know), in the order
# the form lists them; the buyer's own words go in ``reason`` beside the code
REFUND_REASONS: dict[str, str] = {
    "unwanted": "不想要了",
    "wrong_order": "拍错了/多拍了",
    "not_as_described": "商品与描述不符",
    "quality": "质量问题",
    "missing_items": "少件/漏发",
    "not_received": "未收到货",
    "other": "其他",
}
MAX_REFUND_PHOTOS = 3

# why an action is refused in a state, where the state's name alone does not say it
WHY_NOT: dict[tuple[str, str], str] = {
    ("confirm", status): "it has not been shipped yet" for status in (PENDING, DEPOSIT_PAID, PAID)
}

# Orders whose units come from a campaign's allotment, not from the SKU's stock: a
# cancelled one gives its units back to the campaign (campaigns.reactions, and
# community.reactions for a community batch), not the SKU.
ALLOTTED_KINDS = ("flash_sale", "batch")

# Orders placed on hold: a 拼团 order waits for its group to form (拼团中) and may not ship
# until the campaigns side releases it (``lifecycle.release_hold``); a group that fails
# refunds or cancels its orders instead. A community batch order (社区团购) never ships:
# it goes to its pickup point with the batch and is collected there (``pick_up``).
# Kind → the hold (the 409's code).
HOLDS = {"group_buy": "group_not_formed", "batch": "pickup_order"}
HOLD_REASONS = {
    "group_not_formed": "cannot ship this order until its group has formed",
    "pickup_order": "a pickup order is delivered to its pickup point with its batch, not shipped",
}
HELD_BACK = ("ship",)  # what a hold forbids (deliver and confirm come after ship)


def next_status(current: str, action: str, hold: str | None = None) -> str:
    """The status ``action`` leads to from ``current``; InvalidTransition (409) if none.

    An order on ``hold`` that could otherwise ship may not: a 409 whose code is the hold,
    ``next_status("paid", "ship", hold="group_not_formed")`` raises ``group_not_formed``.
    """
    target = TRANSITIONS[action].get(current)
    if target is None:
        raise InvalidTransition("order", current, action, reason=WHY_NOT.get((action, current)))
    if hold is not None and action in HELD_BACK:
        raise Conflict(HOLD_REASONS.get(hold, "this order is on hold"), code=hold)
    return target


def allowed_from(action: str) -> tuple[str, ...]:
    return tuple(TRANSITIONS[action])


@dataclass(frozen=True)
class LineState:
    line_id: int
    quantity: int
    refunded_quantity: int
    requested_quantity: int  # in refund requests not yet decided

    @property
    def refundable(self) -> int:
        return self.quantity - self.refunded_quantity - self.requested_quantity


def check_refund(lines: dict[int, LineState], wanted: dict[int, int]) -> list[str]:
    """Reasons a refund of ``wanted`` (line id → quantity) is not possible; empty if it is."""
    problems = []
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None:
            problems.append(f"line {line_id} is not in this order")
        elif quantity < 1:
            problems.append(f"line {line_id}: quantity must be at least 1")
        elif quantity > line.refundable:
            problems.append(f"line {line_id}: only {line.refundable} can still be refunded")
    return problems


def return_window_open(completed_at: datetime | None, window: timedelta, now: datetime) -> bool:
    """Before completion, always; after, until ``window`` has passed (七天无理由退货)."""
    return completed_at is None or now < completed_at + window


def settle_due(completed_at: datetime | None, window: timedelta, now: datetime) -> bool:
    return completed_at is not None and now >= completed_at + window


def refund_amount(held_fen: int, units_held: int, quantity: int) -> int:
    """What refunding ``quantity`` of the ``units_held`` still held on a line gives back.

    ``held_fen`` is the line's amount less what was already refunded (which may include
    a price difference). The last units take the remainder, so a line refunded in parts
    gives back exactly its amount: ``refund_amount(1000, 3, 1) == 333``,
    ``refund_amount(667, 2, 2) == 667``.
    """
    if not 0 < quantity <= units_held:
        raise ValueError("quantity must be between 1 and the units still held")
    return held_fen if quantity == units_held else held_fen * quantity // units_held


def amount_due(status: str, total_fen: int, deposit_fen: int | None) -> tuple[str, int]:
    """(purpose, fen) the buyer must pay now: the whole order, or a presale's deposit and
    then its balance. InvalidTransition when nothing is due in this state."""
    if status == PENDING:
        return ("order", total_fen) if deposit_fen is None else ("deposit", deposit_fen)
    if status == DEPOSIT_PAID and deposit_fen is not None:
        return "balance", total_fen - deposit_fen
    raise InvalidTransition("order", status, "pay")


MAX_LINE_QUANTITY = 1_000_000  # the most units of one SKU an order line may hold


def check_size(lines: list[tuple[int, int]], max_total_fen: int) -> None:
    """An order of ``lines`` (quantity, unit price fen) may total at most ``max_total_fen``
    (``QUANZI_MAX_ORDER_FEN``), and a line hold at most ``MAX_LINE_QUANTITY`` units;
    else 422 ``order_too_large``: ``check_size([(999, 100_000_000)], 100_000_000)`` raises.
    """
    if any(quantity > MAX_LINE_QUANTITY for quantity, _ in lines):
        raise InvalidInput(f"a line may hold at most {MAX_LINE_QUANTITY} units",
                           code="order_too_large")
    if sum(quantity * price for quantity, price in lines) > max_total_fen:
        raise InvalidInput(f"the order total may not exceed {max_total_fen} fen",
                           code="order_too_large")


def split(gross_fen: int, fee_bp: int, commission_fen: list[int]) -> tuple[int, int]:
    """(platform fee, supplier share) of ``gross_fen`` after commissions; never negative.

    The fee rounds down; commissions come out of the supplier's share, and if the two
    together would exceed the gross the fee gives way first:
    ``split(10000, 500, [1000]) == (500, 8500)``, ``split(1000, 500, [980]) == (20, 0)``.
    ValueError when the commissions alone exceed the gross.
    """
    paid_out = sum(commission_fen)
    if paid_out > gross_fen:
        raise ValueError("commissions exceed what the order brought in")
    fee = min(money.share_of(gross_fen, fee_bp), gross_fen - paid_out)
    return fee, gross_fen - paid_out - fee
