"""Pure rules of community buying: the batch's states, when it sells, masks for notes.

No session, no clock: callers pass ``now``.
"""

from datetime import datetime

from quanzi.core.errors import Conflict, Field, InvalidTransition

SCHEDULED, OPEN, CUT_OFF = "scheduled", "open", "cut_off"
DISPATCHED, ARRIVED, CLOSED = "dispatched", "arrived", "closed"
STATUSES = (SCHEDULED, OPEN, CUT_OFF, DISPATCHED, ARRIVED, CLOSED)

# action → {from status: to status}; every move is one conditional update
TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {SCHEDULED: OPEN},
    "cut_off": {SCHEDULED: CUT_OFF, OPEN: CUT_OFF},
    "dispatch": {CUT_OFF: DISPATCHED},
    "arrive": {DISPATCHED: ARRIVED},
    # nothing left to collect: every order collected, completed at the end of its pickup
    # window or refunded (a dispatched batch whose orders were all refunded never arrives)
    "close": {DISPATCHED: CLOSED, ARRIVED: CLOSED},
}

SELLING = (SCHEDULED, OPEN)  # states in which the batch's times decide whether it sells
RATE_CHANGEABLE = (SCHEDULED, OPEN)
MAX_LEADER_RATE_BPS = 3000  # a leader's rate above 30 % is refused as a typo


def next_status(current: str, action: str) -> str:
    """The status ``action`` leads to from ``current``; InvalidTransition (409) if none:
    ``next_status("open", "dispatch")`` raises "cannot dispatch a batch that is open"."""
    target = TRANSITIONS[action].get(current)
    if target is None:
        raise InvalidTransition("batch", current, action)
    return target


def check_selling(status: str, opens_at: datetime, cuts_off_at: datetime, now: datetime,
                  next_batch_id: int | None = None) -> None:
    """Whether a batch takes orders at ``now``: from ``opens_at`` until before
    ``cuts_off_at``, whatever the sweeps have done yet. 409 ``not_started`` before;
    ``cut_off`` at or after the cut-off (naming ``next_batch_id``, the next batch open,
    if there is one)."""
    if now < opens_at and status in SELLING:
        raise Conflict(f"this batch opens at {opens_at.isoformat()}", code="not_started")
    if now >= cuts_off_at or status not in SELLING:
        where = (f": order in batch {next_batch_id} instead" if next_batch_id is not None
                 else "")
        raise CutOff(f"this batch was cut off at {cuts_off_at.isoformat()}{where}",
                     next_batch_id=next_batch_id)


class CutOff(Conflict):
    """409 ``cut_off``; ``next_batch_id`` names the next open batch, if any, and is a field
    of the error body (``null`` when there is none)."""

    code = "cut_off"

    def __init__(self, message: str, *, next_batch_id: int | None = None) -> None:
        super().__init__(message)
        self.next_batch_id = next_batch_id

    def fields(self) -> dict[str, Field]:
        return {"next_batch_id": self.next_batch_id}


def check_times(opens_at: datetime, cuts_off_at: datetime, pickup_from: datetime) -> str | None:
    """Why the times are not in order (``opens_at < cuts_off_at <= pickup_from``), or None."""
    if not opens_at < cuts_off_at:
        return "opens_at must be before cuts_off_at"
    if not cuts_off_at <= pickup_from:
        return "pickup_from may not be before cuts_off_at"
    return None


def mask_name(name: str) -> str:
    """A buyer's name as a dispatch note shows it: the first character, then one ``*``
    (``mask_name("张三丰") == "张*"``, ``mask_name("") == "*"``)."""
    return (name.strip()[:1] or "") + "*"


def phone_tail(phone: str | None) -> str:
    """The last 4 digits of a phone, or "" without one."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-4:]


def below_minimum(paid_units: int, min_qty: int) -> bool:
    """A point's paid units of an item fall short of the item's minimum per point (0: none)."""
    return 0 < paid_units < min_qty
