"""What campaigns tell other domains when a group or a tiered deal closes (``core.events``).

The JSON of each kind is the payload the outbox held before the events were typed.
"""

from quanzi.core.events import Event

__all__ = ["GroupFailed", "GroupSucceeded", "TieredClosed"]


class GroupSucceeded(Event):
    """``group.succeeded``: the group filled (or was completed by 模拟成团) in time."""

    name = "group.succeeded"

    group_id: int


class GroupFailed(Event):
    """``group.failed``: the group expired short of its size; its paid members are refunded."""

    name = "group.failed"

    group_id: int


class TieredClosed(Event):
    """``tiered.closed``: everyone paid ``final_price_fen`` per unit, the difference refunded."""

    name = "tiered.closed"

    deal_id: int
    final_price_fen: int
