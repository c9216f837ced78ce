"""What every campaign kind shares: who may configure a campaign on which SKU."""

from typing import Protocol

from sqlalchemy.orm import Session

from quanzi.catalog.stock import sku_owner
from quanzi.core.errors import Conflict, Forbidden, InvalidInput


class Staff(Protocol):
    """The signed-in user configuring a campaign (``api.deps.Principal`` fits)."""

    @property
    def id(self) -> int: ...

    @property
    def is_operator(self) -> bool: ...

    @property
    def supplier_id(self) -> int | None: ...


def authorise_sku(session: Session, by: Staff, sku_id: int) -> None:
    """Operators may use any SKU, supplier staff only their own supplier's.

    Raises ``InvalidInput`` (422) for an unknown SKU, ``Forbidden`` (403) for another
    supplier's.
    """
    owner = sku_owner(session, sku_id)
    if owner is None:
        raise InvalidInput(f"no SKU with id {sku_id}", code="unknown_sku")
    if not by.is_operator and (by.supplier_id is None or by.supplier_id != owner):
        raise Forbidden("suppliers may only run campaigns on their own SKUs")


REFUSALS = {
    "not_started": "活动尚未开始",
    "ended": "活动已结束",
    "sold_out": "已抢光",
    "limit_reached": "已达到每人限购/限次",
    "group_full": "该团已满员",
    "already_joined": "你已在该团中",
    "already_helped": "你已经帮砍过了",
}


def refuse(code: str) -> Conflict:
    """The 409 for a rule's refusal ``code``, with a Chinese message."""
    return Conflict(REFUSALS.get(code, code), code=code)
