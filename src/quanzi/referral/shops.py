"""Use cases and reads of micro-shops (小铺)."""

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quanzi.accounts.services import get_user
from quanzi.core import clock
from quanzi.core.db import transaction
from quanzi.core.errors import Forbidden, InvalidInput, NotFound
from quanzi.referral import codes
from quanzi.referral.catalog_port import product_card, product_cards
from quanzi.referral.models import Shop, ShopItem
from quanzi.referral.schemas import ShopIn, ShopItemOut, ShopOut
from quanzi.referral.services import approved_promoter
from quanzi.referral.shares import ensure_share


def _items(session: Session, shop: Shop) -> list[ShopItemOut]:
    """The shop's products still on sale, in order (one taken off the shelf disappears)."""
    ids = list(session.scalars(select(ShopItem.product_id).where(ShopItem.shop_id == shop.id)
                               .order_by(ShopItem.position)))
    cards = product_cards(session, ids)
    return [ShopItemOut(product_id=pid, title=cards[pid].title, price_fen=cards[pid].price_fen,
                        image=cards[pid].image, url=f"/p/{pid}")
            for pid in ids if pid in cards]


def shop_out(session: Session, shop: Shop) -> ShopOut:
    return ShopOut(code=shop.code, name=shop.name, avatar_url=shop.avatar_url,
                   url=f"/shop/{shop.code}", share_code=shop.share_code,
                   items=_items(session, shop))


def my_shop(session: Session, user_id: int) -> ShopOut:
    """The promoter's shop; 404 before it is opened."""
    shop = session.scalar(select(Shop).where(Shop.promoter_id == user_id))
    if shop is None:
        raise NotFound("you have not opened a shop yet", code="no_shop")
    return shop_out(session, shop)


def _own_shop(session: Session, user_id: int) -> Shop | None:
    if approved_promoter(session, user_id) is None:
        raise Forbidden("only approved promoters have a shop")
    return session.scalar(select(Shop).where(Shop.promoter_id == user_id).with_for_update())


def save_shop(*, promoter_user_id: int, data: ShopIn) -> ShopOut:
    """Open the shop or change its name and avatar. Opening it also creates its share,
    so every visit to ``/shop/{code}`` can be attributed to the promoter. 403 for non-promoters."""
    with transaction() as session:
        shop = _own_shop(session, promoter_user_id)
        if shop is None:
            shop = Shop(promoter_id=promoter_user_id, code=_free_code(session),
                        created_at=clock.now(), name=data.name)
            session.add(shop)
            session.flush()
            shop.share_code = ensure_share(session, promoter_user_id, "shop", shop.id).code
        shop.name, shop.avatar_url = data.name, data.avatar_url
        session.flush()
        return shop_out(session, shop)


def _free_code(session: Session) -> str:
    while True:
        code = codes.new_share_code()
        if session.scalar(select(Shop.id).where(Shop.code == code)) is None:
            return code


def set_items(*, promoter_user_id: int, product_ids: list[int]) -> ShopOut:
    """Replace the shop's products, in this order. 422 ``not_on_shelf`` if one is unknown or
    not on sale (nothing changes then); 404 before the shop is opened."""
    if len(set(product_ids)) != len(product_ids):
        raise InvalidInput("a product may appear only once")
    with transaction() as session:
        shop = _own_shop(session, promoter_user_id)
        if shop is None:
            raise NotFound("open your shop first (PUT /api/v1/me/shop)", code="no_shop")
        cards = product_cards(session, product_ids)
        bad = [pid for pid in product_ids if pid not in cards]
        if bad:
            raise InvalidInput(f"products not on sale: {bad}", code="not_on_shelf")
        session.execute(delete(ShopItem).where(ShopItem.shop_id == shop.id))
        session.add_all(ShopItem(shop_id=shop.id, product_id=pid, position=i)
                        for i, pid in enumerate(product_ids))
        session.flush()
        return shop_out(session, shop)


def add_item(*, promoter_user_id: int, product_id: int, shop_name: str) -> ShopOut:
    """Put one product at the end of the promoter's shop, opening the shop (named
    ``shop_name``) first if needed. Already there: nothing changes. 422 ``not_on_shelf`` for a
    product not on sale (nothing changes then); 403 for non-promoters."""
    with transaction() as session:
        shop = _own_shop(session, promoter_user_id)
        if product_card(session, product_id) is None:
            raise InvalidInput(f"products not on sale: [{product_id}]", code="not_on_shelf")
        if shop is None:
            shop = Shop(promoter_id=promoter_user_id, code=_free_code(session),
                        created_at=clock.now(), name=shop_name[:40])
            session.add(shop)
            session.flush()
            shop.share_code = ensure_share(session, promoter_user_id, "shop", shop.id).code
        ids = list(session.scalars(select(ShopItem.product_id).where(ShopItem.shop_id == shop.id)))
        if product_id not in ids:
            session.add(ShopItem(shop_id=shop.id, product_id=product_id, position=len(ids)))
        session.flush()
        return shop_out(session, shop)


@dataclass(frozen=True)
class ShopPage:
    shop: ShopOut
    owner_name: str


def shop_page(session: Session, code: str) -> ShopPage | None:
    """What ``/shop/{code}`` shows (on-sale items only), or None."""
    if not codes.looks_like_code(code):
        return None
    shop = session.scalar(select(Shop).where(Shop.code == code))
    if shop is None:
        return None
    owner = get_user(session, shop.promoter_id)
    return ShopPage(shop_out(session, shop), owner.name)
