"""The cart, kept in the ``qz_cart`` cookie as ``product:sku:quantity`` triples.

Only ids and quantities live in the cookie; titles, prices and stock are read from the
catalog each time, so a tampered cookie can at most name products that exist.
"""

from dataclasses import dataclass

from fastapi import Request, Response
from sqlalchemy.orm import Session

from quanzi.catalog import queries
from quanzi.catalog.schemas import ProductOut, SkuOut
from quanzi.core.config import get_settings
from quanzi.core.errors import NotFound
from quanzi.orders.schemas import MAX_QUANTITY

CART_COOKIE = "qz_cart"
MAX_ITEMS = 20
MAX_AGE = 30 * 24 * 3600
_MAX_ID = 2_147_483_647


@dataclass(frozen=True)
class Entry:
    product_id: int
    sku_id: int
    quantity: int


@dataclass(frozen=True)
class Line:
    product: ProductOut
    sku: SkuOut
    quantity: int

    @property
    def total_fen(self) -> int:
        return self.sku.price_fen * self.quantity


def entry(product_id: int, sku_id: int, quantity: int) -> Entry | None:
    """A valid entry, or None when an id or the quantity is out of range."""
    if 1 <= product_id <= _MAX_ID and 1 <= sku_id <= _MAX_ID and 1 <= quantity <= MAX_QUANTITY:
        return Entry(product_id, sku_id, quantity)
    return None


def read(request: Request) -> list[Entry]:
    """The cart's entries (malformed parts are dropped)."""
    return parse(request.cookies.get(CART_COOKIE, "").split("."))


def item_count(request: Request) -> int:
    """How many items the cart holds, quantities summed (2 × A + 1 × B is 3): its badge."""
    return count(read(request))


def count(entries: list[Entry]) -> int:
    return sum(e.quantity for e in entries)


def parse(parts: list[str]) -> list[Entry]:
    """Entries from ``product-sku-quantity`` texts (malformed ones are dropped)."""
    entries: list[Entry] = []
    for part in parts[:MAX_ITEMS]:
        fields = part.split("-")
        if len(fields) == 3 and all(f.isdecimal() and len(f) <= 10 for f in fields):
            found = entry(*(int(f) for f in fields))
            if found is not None:
                entries.append(found)
    return entries


def write(response: Response, entries: list[Entry]) -> None:
    value = ".".join(f"{e.product_id}-{e.sku_id}-{e.quantity}" for e in entries[:MAX_ITEMS])
    response.set_cookie(CART_COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="lax",
                        secure=get_settings().secure_cookies)


def add(entries: list[Entry], new: Entry) -> list[Entry]:
    """``entries`` with ``new`` added (quantities of the same SKU are summed)."""
    merged, found = [], False
    for e in entries:
        if e.sku_id == new.sku_id:
            e = Entry(e.product_id, e.sku_id, min(e.quantity + new.quantity, MAX_QUANTITY))
            found = True
        merged.append(e)
    return merged if found else [*merged, new][-MAX_ITEMS:]


def lines(session: Session, entries: list[Entry]) -> list[Line]:
    """The entries with their product and SKU; gone products or SKUs are left out."""
    result: list[Line] = []
    for e in entries:
        try:
            product = queries.get_product(session, e.product_id)
        except NotFound:
            continue
        sku = next((s for s in product.skus if s.id == e.sku_id), None)
        if sku is not None:
            result.append(Line(product, sku, e.quantity))
    return result
