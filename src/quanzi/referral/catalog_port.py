"""What referral needs to know about products, through the catalog's read side."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from quanzi.catalog import queries as catalog
from quanzi.catalog.queries import ProductFilter
from quanzi.core.errors import NotFound


@dataclass(frozen=True)
class ProductCard:
    id: int
    title: str
    category: str | None
    image: str | None
    price_fen: int


def product_card(session: Session, product_id: int) -> ProductCard | None:
    """The product if it exists and is on sale (on the shelf), else None."""
    try:
        product = catalog.get_product(session, product_id)
    except NotFound:
        return None
    if not product.on_shelf:
        return None
    return ProductCard(id=product.id, title=product.title, category=product.category,
                       image=product.images[0] if product.images else None,
                       price_fen=product.price_from_fen or 0)


def product_cards(session: Session, product_ids: list[int]) -> dict[int, ProductCard]:
    """Cards of the on-sale products among ``product_ids``."""
    cards = (product_card(session, pid) for pid in dict.fromkeys(product_ids))
    return {card.id: card for card in cards if card is not None}


def products_on_sale(session: Session, *, q: str | None, cursor: str | None,
                     limit: int) -> tuple[list[ProductCard], str | None]:
    """One page of on-sale products as cards (the catalog's listing: newest first, best
    match first with ``q``) and the next page's cursor; 422 ``bad_cursor`` as the catalog."""
    page = catalog.list_products(session, ProductFilter(q=q or None), cursor=cursor, limit=limit)
    cards = [ProductCard(id=p.id, title=p.title, category=p.category,
                         image=p.images[0] if p.images else None, price_fen=p.price_from_fen or 0)
             for p in page.items]
    return cards, page.next_cursor
