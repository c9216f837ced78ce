"""Pure rules of the catalog: who may manage what, bounds, and the list cursor.

No session and no clock here; everything is a plain function of its arguments.
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Protocol

from quanzi.core.errors import InvalidInput

MAX_PRICE_FEN = 100_000_000
MAX_STOCK = 1_000_000
MAX_SKUS = 50
MAX_ID = 2_147_483_647


class Actor(Protocol):
    """Whoever acts: ``accounts.identity.Identity`` fits, and so does any object with these."""

    @property
    def supplier_id(self) -> int | None: ...

    def has(self, *roles: str) -> bool: ...


def may_manage(actor: Actor | None, supplier_id: int) -> bool:
    """True for an operator, or for staff of the supplier ``supplier_id`` (role supplier)."""
    if actor is None:
        return False
    if actor.has("operator"):
        return True
    return actor.has("supplier") and actor.supplier_id == supplier_id


def price_from(prices: list[int]) -> int | None:
    """The cheapest SKU price, the one shown as "¥x 起"; None for a product without SKUs."""
    return min(prices) if prices else None


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last product id, and its search score when searching."""

    last_id: int
    score: float | None = None


def encode_cursor(cursor: Cursor) -> str:
    """An opaque URL-safe string for ``cursor``; ``decode_cursor`` reverses it."""
    data: dict[str, object] = {"i": cursor.last_id}
    if cursor.score is not None:
        data["s"] = cursor.score
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, *, searching: bool) -> Cursor:
    """Parse a cursor made by ``encode_cursor``.

    Raises InvalidInput (``bad_cursor``) for anything else, including a search
    cursor used without a query or a plain cursor used with one.
    """
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("the cursor is not one this API gave out", code="bad_cursor") from exc
    if not isinstance(data, dict) or set(data) - {"i", "s"}:
        raise InvalidInput("the cursor is not one this API gave out", code="bad_cursor")
    last_id, score = data.get("i"), data.get("s")
    if type(last_id) is not int or not 1 <= last_id <= MAX_ID:
        raise InvalidInput("the cursor is not one this API gave out", code="bad_cursor")
    if searching != (score is not None):
        raise InvalidInput("the cursor belongs to another query", code="bad_cursor")
    if score is not None and (type(score) not in (int, float) or not math.isfinite(score)):
        raise InvalidInput("the cursor is not one this API gave out", code="bad_cursor")
    return Cursor(last_id=last_id, score=float(score) if score is not None else None)
