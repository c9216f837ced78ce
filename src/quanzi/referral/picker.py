"""The promoter's product picker (选品中心) and the names of what was shared.

The picker lists products on sale, newest first (best match first with ``q``), each with
what the promoter earns per item sold at the list price at today's rates (the same rate
resolution as accrual: product override, else category override, else the default level-1
rate, capped) and whether it is already in the promoter's micro-shop. Reads only.

Example: a ¥50.00 product at the default 10% → ``PickerItem(..., earn_fen=500)``.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.referral import domain
from quanzi.referral.campaign_port import campaign_card
from quanzi.referral.catalog_port import product_card, product_cards, products_on_sale
from quanzi.referral.models import Share, Shop, ShopItem
from quanzi.referral.services import load_rules, rate_tables

__all__ = ["PickerItem", "PickerPage", "earn_per_campaign_item", "earn_per_item", "picker",
           "share_names"]


@dataclass(frozen=True)
class PickerItem:
    product_id: int
    title: str
    image: str | None
    price_fen: int
    earn_fen: int
    in_shop: bool


@dataclass(frozen=True)
class PickerPage:
    items: list[PickerItem]
    next_cursor: str | None


def _earn(rules: domain.Rules, tables: tuple[dict[int, domain.Rate], dict[str, domain.Rate]],
          product_id: int, category: str | None, price_fen: int) -> int:
    rate = domain.resolve_rate(rules, product_id=product_id, category=category,
                               by_product=tables[0], by_category=tables[1])
    return domain.split_line(price_fen, rate, cap_bp=rules.cap_bp, level2=False)[0]


def earn_per_item(session: Session, product_id: int, price_fen: int | None = None) -> int | None:
    """Level-1 commission on one item of ``product_id`` (at ``price_fen``, else its list
    price), or None when the product is not on sale."""
    card = product_card(session, product_id)
    if card is None:
        return None
    price = card.price_fen if price_fen is None else price_fen
    return _earn(load_rules(session), rate_tables(session), card.id, card.category, price)


def earn_per_campaign_item(session: Session, kind: str, campaign_id: int) -> int | None:
    """Level-1 commission on one item bought through campaign ``(kind, campaign_id)`` at
    its price now (the flash, group, tier or bargain price), or None when there is no such
    campaign or its product is off sale."""
    card = campaign_card(session, kind, campaign_id)
    if card is None:
        return None
    return earn_per_item(session, card.product_id, card.price_fen)


def _shop_products(session: Session, user_id: int) -> set[int]:
    return set(session.scalars(select(ShopItem.product_id).join(Shop, Shop.id == ShopItem.shop_id)
                               .where(Shop.promoter_id == user_id)))


def picker(session: Session, user_id: int, *, q: str | None = None, cursor: str | None = None,
           limit: int = 20) -> PickerPage:
    """One page of the picker for promoter ``user_id`` (422 ``bad_cursor`` as the catalog)."""
    cards, next_cursor = products_on_sale(session, q=q, cursor=cursor, limit=limit)
    rules, tables = load_rules(session), rate_tables(session)
    mine = _shop_products(session, user_id)
    items = [PickerItem(c.id, c.title, c.image, c.price_fen,
                        _earn(rules, tables, c.id, c.category, c.price_fen), c.id in mine)
             for c in cards]
    return PickerPage(items, next_cursor)


_CAMPAIGN_NAMES = {"flash_sale": "秒杀", "group_buy": "拼团", "group": "拼团", "bargain": "砍价",
                   "bargain_run": "砍价", "tiered": "阶梯团", "presale": "预售"}


def _name(session: Session, share: Share) -> tuple[str, str]:
    if share.target_kind == "product":
        card = product_cards(session, [share.target_id]).get(share.target_id)
        return ("", card.title) if card else ("已下架", f"{share.target_id}")
    if share.target_kind == "shop":
        return "小铺", session.scalar(select(Shop.name).where(Shop.id == share.target_id)) or ""
    kind = _CAMPAIGN_NAMES.get(share.campaign_kind, "活动")
    found = campaign_card(session, share.campaign_kind, share.target_id)
    return (kind, found.title) if found else (kind, "")


def share_names(session: Session, user_id: int) -> dict[str, tuple[str, str]]:
    """What each of the promoter's shares names, by share code, as (kind, title): a product
    is ``("", title)``, the shop ``("小铺", shop name)``, a campaign ``("秒杀", product title)``.
    The kind is a Chinese message id for the page to translate; "" when there is none."""
    shares = session.scalars(select(Share).where(Share.promoter_id == user_id))
    return {share.code: _name(session, share) for share in shares}
