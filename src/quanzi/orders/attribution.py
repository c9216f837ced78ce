"""Which share an order is credited to: asked of the referral domain at creation."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session


def snapshot(session: Session, *, buyer_id: int, share_code: str | None,
             visitor_id: str | None, now: datetime) -> dict[str, Any] | None:
    """The attribution written on the order, or None when nobody brought it."""
    if not share_code and not visitor_id:
        return None
    try:
        from quanzi.referral.services import attribute_order
    except ImportError:
        return None
    return attribute_order(session, buyer_id=buyer_id, share_code=share_code,
                           visitor_id=visitor_id, now=now)
