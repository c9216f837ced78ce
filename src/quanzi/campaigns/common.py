"""What every campaign kind shares: who may configure a campaign on which SKU, at what
price (never above the SKU's list price), and the rules' refusals."""

from typing import Protocol

from sqlalchemy.orm import Session

from quanzi.catalog.stock import skus_for_sale
from quanzi.core.errors import Conflict, Forbidden, InvalidInput


class Staff(Protocol):
    """The signed-in user configuring a campaign (``accounts.identity.Identity`` fits)."""

    @property
    def id(self) -> int: ...

    @property
    def is_operator(self) -> bool: ...

    @property
    def supplier_id(self) -> int | None: ...


def authorise_sku(session: Session, by: Staff, sku_id: int, *, top_price_fen: int) -> None:
    """Operators may use any SKU, supplier staff only their own supplier's; and no price
    of the campaign (``top_price_fen``, its highest) may be above the SKU's list price.

    Raises ``InvalidInput`` (422) for an unknown SKU, ``Forbidden`` (403) for another
    supplier's, ``InvalidInput`` (422 ``price_above_list``) for a price above the list
    price (equal is allowed: a bargain may start at the list price). Reads one row.
    """
    sku = skus_for_sale(session, [sku_id]).get(sku_id)
    if sku is None:
        raise InvalidInput(f"no SKU with id {sku_id}", code="unknown_sku")
    if not by.is_operator and (by.supplier_id is None or by.supplier_id != sku.supplier_id):
        raise Forbidden("suppliers may only run campaigns on their own SKUs")
    if top_price_fen > sku.price_fen:
        raise InvalidInput(f"a campaign price of {top_price_fen} fen is above the SKU's "
                           f"list price of {sku.price_fen} fen", code="price_above_list")


REFUSALS = {
    "not_started": "活动尚未开始",
    "ended": "活动已结束",
    "sold_out": "已抢光",
    "limit_reached": "已达到每人限购/限次",
    "group_full": "该团已满员",
    "already_joined": "你已在该团中",
    "already_helped": "你已经帮砍过了",
    "floor_reached": "已砍到底价，无需再帮砍",
}


def refuse(code: str) -> Conflict:
    """The 409 for a rule's refusal ``code``, with a Chinese message."""
    return Conflict(REFUSALS.get(code, code), code=code)
