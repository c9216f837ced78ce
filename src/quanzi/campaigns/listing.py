"""The campaigns of every kind in one list (the read side): for the campaigns API, the
consoles, the home page and a product's badges.

Status is the window to take part in: ``upcoming`` before ``starts_at``, ``ended`` from
``ends_at`` on (or once a flash sale was ended, a tiered deal closed), else ``live``; a
presale's window is its deposit window. Order: live first (ending soonest first, open-ended
last), then upcoming (starting soonest first), then ended (latest first).

A campaign's price is never above its SKU's list price when it is made; when the list
price is lowered later, buyers' lists (``deals_only``) leave it out, so no page shows a
"deal" dearer than the product itself (and buying through it is refused, see
``orders.placing.create_order``), while the consoles still list it for staff to end.

Cost: one query per kind asked for plus one for the SKUs' cards, whatever ``limit`` is.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, not_, or_, select
from sqlalchemy.orm import Session

from quanzi.campaigns import domain
from quanzi.campaigns.models import Bargain, FlashSale, GroupBuy, Presale, TieredDeal
from quanzi.campaigns.schemas import CampaignItem, CampaignStatus
from quanzi.catalog.sku_cards import SkuCard, sku_cards, sku_scope

__all__ = ["KINDS", "STATUSES", "CampaignFilter", "is_deal", "list_campaigns", "status_of"]

KINDS = ("flash_sale", "group_buy", "bargain", "tiered", "presale")
STATUSES = ("upcoming", "live", "ended")
MAX_LIMIT = 100


@dataclass(frozen=True)
class CampaignFilter:
    """What to list; every field left None lets everything through."""

    kind: str | None = None
    status: str | None = None
    product_id: int | None = None
    supplier_id: int | None = None
    on_shelf_only: bool = False
    deals_only: bool = False  # leave out campaigns priced above their SKU's list price


@dataclass(frozen=True)
class _Spec:
    """Where a kind keeps its window, and what else ends it early."""

    model: Any
    starts: Any
    ends: Any
    stopped: Any = None  # a column condition: ended before ``ends`` (None: never)


SPECS = {
    "flash_sale": _Spec(FlashSale, FlashSale.starts_at, FlashSale.ends_at,
                        FlashSale.ended_at.is_not(None)),
    "group_buy": _Spec(GroupBuy, GroupBuy.starts_at, GroupBuy.ends_at),
    "bargain": _Spec(Bargain, Bargain.starts_at, Bargain.ends_at),
    "tiered": _Spec(TieredDeal, TieredDeal.starts_at, TieredDeal.ends_at,
                    TieredDeal.status == "closed"),
    "presale": _Spec(Presale, Presale.deposit_starts_at, Presale.deposit_ends_at),
}


def status_of(starts_at: datetime, ends_at: datetime | None, now: datetime,
              stopped: bool = False) -> CampaignStatus:
    """``upcoming`` | ``live`` | ``ended`` (the pure twin of the SQL in ``_conditions``)."""
    refusal = domain.window_refusal(starts_at, ends_at, now)
    if refusal == "not_started":
        return "upcoming"
    return "ended" if refusal == "ended" or stopped else "live"


def list_campaigns(session: Session, filters: CampaignFilter, *, now: datetime,
                   limit: int = 20) -> list[CampaignItem]:
    """Up to ``limit`` campaigns matching ``filters``, in the order above."""
    limit = max(1, min(limit, MAX_LIMIT))
    kinds = [filters.kind] if filters.kind else list(KINDS)
    scope = sku_scope(product_id=filters.product_id, supplier_id=filters.supplier_id,
                      on_shelf_only=filters.on_shelf_only)
    found = [(kind, row) for kind in kinds if kind in SPECS
             for row in _rows(session, SPECS[kind], filters.status, scope, now, limit)]
    cards = sku_cards(session, [row.sku_id for _, row in found])
    items = [_item(kind, row, cards[row.sku_id], now) for kind, row in found
             if row.sku_id in cards]
    if filters.deals_only:
        items = [item for item in items if is_deal(item)]
    return sorted(items, key=_order_key)[:limit]


def is_deal(item: CampaignItem) -> bool:
    """The campaign's shown price is not above its SKU's list price."""
    return item.price_fen <= item.list_price_fen


def _conditions(spec: _Spec, now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each status as a condition; never NULL, so ``not_`` is safe."""
    over = and_(spec.ends.is_not(None), spec.ends <= now)
    if spec.stopped is not None:
        over = or_(over, spec.stopped)
    started = spec.starts <= now
    return {"upcoming": spec.starts > now, "live": and_(started, not_(over)),
            "ended": and_(started, over)}


def _rows(session: Session, spec: _Spec, status: str | None, scope: Any, now: datetime,
          limit: int) -> list[Any]:
    where = _conditions(spec, now)
    rank = case((where["live"], 0), (where["upcoming"], 1), else_=2)
    stmt = select(spec.model).order_by(
        rank,
        case((where["live"], spec.ends)).asc().nulls_last(),
        case((where["upcoming"], spec.starts)).asc(),
        case((where["ended"], func.coalesce(spec.ends, spec.starts))).desc(),
        spec.model.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(where.get(status, false()))
    if scope is not None:
        stmt = stmt.where(spec.model.sku_id.in_(scope))
    return list(session.scalars(stmt))


def _item(kind: str, row: Any, card: SkuCard, now: datetime) -> CampaignItem:
    spec = SPECS[kind]
    starts, ends = getattr(row, spec.starts.key), getattr(row, spec.ends.key)
    stopped = ((kind == "flash_sale" and row.ended_at is not None)
               or (kind == "tiered" and row.status == "closed"))
    extra: dict[str, Any] = {}
    if kind == "bargain":
        price = row.floor_price_fen
    elif kind == "tiered":
        tiers = [domain.Tier(int(t["min_participants"]), int(t["price_fen"])) for t in row.tiers]
        price = domain.current_tier_price(tiers, row.participants)
    else:
        price = row.price_fen
    if kind == "group_buy":
        extra["group_size"] = row.group_size
    if kind == "presale":
        extra["deposit_fen"] = row.deposit_fen
    return CampaignItem(kind=kind, id=row.id, sku_id=row.sku_id,  # type: ignore[arg-type]
                        product_id=card.product_id, supplier_id=card.supplier_id,
                        title=card.title, spec=card.spec, image=card.image, price_fen=price,
                        list_price_fen=card.price_fen,
                        status=status_of(starts, ends, now, stopped),
                        starts_at=starts, ends_at=ends, **extra)


def _order_key(item: CampaignItem) -> tuple[int, float, int, int]:
    """The module's order; within a kind it is the SQL's ``ORDER BY`` of ``_rows``."""
    if item.status == "live":
        rank, at = 0, item.ends_at.timestamp() if item.ends_at else math.inf
    elif item.status == "upcoming":
        rank, at = 1, item.starts_at.timestamp()
    else:
        rank, at = 2, -(item.ends_at or item.starts_at).timestamp()
    return rank, at, KINDS.index(item.kind), -item.id
