"""Buying through a campaign: each buy is an ordinary order at the campaign's price.

Flash sales take their units from the allotment counter first (Redis when configured:
a sold-out answer never touches the database), then create the order; group buys seat
the buyer and create the order in one transaction; a bargain's owner buys at the
current price once. Orders carry ``kind`` and ``campaign_ref`` so the handlers in
``campaigns.reactions`` can follow their payment or cancellation.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from quanzi.campaigns import domain, quota
from quanzi.campaigns.bargain.runs import claim_run_for_purchase
from quanzi.campaigns.buy_schemas import SeatOut
from quanzi.campaigns.common import refuse
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import Outcome
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.models import (
    Bargain,
    BargainRun,
    Group,
    GroupBuy,
    Presale,
    TieredDeal,
    TieredParticipant,
)
from quanzi.campaigns.presale.terms import windows_of
from quanzi.campaigns.tiered.deals import tiers_of
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.core.idempotency import replay, run_once
from quanzi.orders.placing import Item, create_order
from quanzi.orders.schemas import OrderOut
from quanzi.orders.views import order_out

FLASH_PAY_WITHIN = flash_sales.PAY_WITHIN
TIERED = "tiered"  # the quota kind: one place per buyer and deal


@dataclass(frozen=True)
class FlashBuy:
    """One buyer's request for a flash sale (the idempotency scope and body follow from it)."""

    sale_id: int
    user_id: int
    quantity: int
    address: dict[str, Any]
    share_code: str | None
    key: str
    visitor_id: str | None = None  # the share cookies' visitor (not part of the body)

    @property
    def scope(self) -> str:
        return f"flash:{self.user_id}"

    @property
    def body(self) -> dict[str, Any]:
        return {"sale_id": self.sale_id, "quantity": self.quantity, "address": self.address,
                "share_code": self.share_code}


def buy_flash(*, sale_id: int, user_id: int, quantity: int, address: dict[str, Any],
              share_code: str | None, idempotency_key: str,
              visitor_id: str | None = None) -> OrderOut:
    """Reserve ``quantity`` of the flash allotment and create the order (pay within 5 min).

    409 ``not_started``, ``ended``, ``sold_out`` or ``limit_reached``.
    """
    buy = FlashBuy(sale_id, user_id, quantity, address, share_code, idempotency_key,
                   visitor_id)
    terms = open_terms(sale_id)
    outcome = flash_stock.reserve(sale_id, user_id, quantity, terms.per_user_limit)
    if outcome is not Outcome.OK:
        return refused(buy, outcome)
    return create_flash_order(buy, terms)


def open_terms(sale_id: int) -> flash_sales.SaleTerms:
    """The sale's terms if it is on now; 404 unknown, 409 ``not_started``/``ended``."""
    terms = flash_sales.sale_terms(sale_id)
    refusal = terms.refusal(clock.now())
    if refusal:
        raise refuse(refusal)
    return terms


def refused(buy: FlashBuy, outcome: Outcome, *,
            may_have_bought: bool | None = None) -> OrderOut:
    """The answer to a buy the counter refused: a retry of one that went through gets
    its order back; anyone else the 409. ``may_have_bought`` None asks the counter."""
    if may_have_bought is None:
        may_have_bought = flash_stock.maybe_bought(buy.sale_id, buy.user_id, buy.key)
    if may_have_bought:
        with read_session() as session:
            done = replay(session, buy.scope, buy.key, buy.body, OrderOut)
        if done is not None:
            return done
    raise refuse(outcome.value)


def create_flash_order(buy: FlashBuy, terms: flash_sales.SaleTerms, *,
                       seen: bool | None = None) -> OrderOut:
    """Turn units already taken from the counter into an order (giving them back on failure
    or when the answer is another request's order). ``seen``: see ``run_once``."""
    made: list[OrderOut] = []

    def work(session: Session) -> OrderOut:
        now = clock.now()
        order = create_order(session, buyer_id=buy.user_id,
                             items=[Item(terms.sku_id, buy.quantity, terms.price_fen)],
                             address=buy.address, share_code=buy.share_code,
                             visitor_id=buy.visitor_id, kind="flash_sale",
                             campaign_ref=f"flash:{buy.sale_id}", pay_timeout=FLASH_PAY_WITHIN)
        flash_sales.record_reservation(session, sale_id=buy.sale_id, user_id=buy.user_id,
                                       quantity=buy.quantity, order_id=order.id, now=now)
        made.append(order_out(order))
        return made[-1]

    try:
        result = run_once(buy.scope, buy.key, buy.body, work, answer=OrderOut, seen=seen)
    except Exception:
        flash_stock.release(buy.sale_id, buy.user_id, buy.quantity)
        raise
    if not made or result is not made[-1]:  # the order is a replay (an attempt of ours
        # that lost to a concurrent duplicate was rolled back): give our units back
        flash_stock.release(buy.sale_id, buy.user_id, buy.quantity)
    flash_stock.remember_buy(buy.sale_id, buy.user_id, buy.key)
    return result


def open_group(*, group_buy_id: int, user_id: int, address: dict[str, Any],
               share_code: str | None, idempotency_key: str,
               visitor_id: str | None = None) -> SeatOut:
    """Open a group as its first member and create that member's order.

    ``share_code`` and ``visitor_id`` (here and in every buy below) are where the buyer
    came from (``referral.share_cookies``): the order's attribution, as ``POST /orders``.
    """
    body = {"group_buy_id": group_buy_id, "address": address, "share_code": share_code}

    def work(session: Session) -> SeatOut:
        now = clock.now()
        group = group_buys.open_group(session, group_buy_id, user_id, now)
        return _seat_order(session, group.id, group_buy_id, group.expires_at - now, user_id,
                           address, share_code=share_code, visitor_id=visitor_id)

    return run_once(f"group-open:{user_id}", idempotency_key, body, work, answer=SeatOut)


def join_group(*, group_id: int, user_id: int, address: dict[str, Any],
               share_code: str | None, idempotency_key: str,
               visitor_id: str | None = None) -> SeatOut:
    """Take a seat in an open group and create the order that pays for it."""
    body = {"group_id": group_id, "address": address, "share_code": share_code}

    def work(session: Session) -> SeatOut:
        now = clock.now()
        group_buys.reserve_seat(session, group_id, user_id, now)
        group = session.get_one(Group, group_id)
        return _seat_order(session, group_id, group.group_buy_id, group.expires_at - now,
                           user_id, address, share_code=share_code, visitor_id=visitor_id)

    return run_once(f"group-join:{user_id}", idempotency_key, body, work, answer=SeatOut)


def _seat_order(session: Session, group_id: int, group_buy_id: int, left: timedelta,
                user_id: int, address: dict[str, Any], *, share_code: str | None,
                visitor_id: str | None) -> SeatOut:
    group_buy = session.get_one(GroupBuy, group_buy_id)
    timeout = min(get_settings().payment_timeout, max(left, timedelta(seconds=1)))
    order = create_order(session, buyer_id=user_id,
                         items=[Item(group_buy.sku_id, 1, group_buy.price_fen)],
                         address=address, share_code=share_code, visitor_id=visitor_id,
                         kind="group_buy", campaign_ref=f"group:{group_id}", pay_timeout=timeout)
    group_buys.attach_order(session, group_id, user_id, order.id)
    return SeatOut(group_id=group_id, order=order_out(order))


def buy_bargain(*, run_id: int, user_id: int, address: dict[str, Any],
                idempotency_key: str, share_code: str | None = None,
                visitor_id: str | None = None) -> OrderOut:
    """The owner buys at the run's current price (the floor once reached), once."""
    body = {"run_id": run_id, "address": address, "share_code": share_code}

    def work(session: Session) -> OrderOut:
        price = claim_run_for_purchase(session, run_id, user_id, clock.now())
        run = session.get_one(BargainRun, run_id)
        bargain = session.get_one(Bargain, run.bargain_id)
        order = create_order(session, buyer_id=user_id, items=[Item(bargain.sku_id, 1, price)],
                             address=address, share_code=share_code, visitor_id=visitor_id,
                             kind="bargain", campaign_ref=f"bargain:{run_id}")
        return order_out(order)

    return run_once(f"bargain-buy:{user_id}", idempotency_key, body, work, answer=OrderOut)


def join_tiered(*, deal_id: int, user_id: int, quantity: int, address: dict[str, Any],
                share_code: str | None, idempotency_key: str,
                visitor_id: str | None = None) -> OrderOut:
    """Join a tiered deal (阶梯团) at the current tier's price; one place per buyer.

    The price charged is the tier the deal reaches with this buyer; when the deal closes
    everyone pays the final tier and the difference comes back (``reactions``).
    """
    body = {"deal_id": deal_id, "quantity": quantity, "address": address,
            "share_code": share_code}

    def work(session: Session) -> OrderOut:
        now = clock.now()
        deal = session.get(TieredDeal, deal_id)
        if deal is None:
            raise NotFound("no such tiered deal")
        refusal = domain.window_refusal(deal.starts_at, deal.ends_at, now)
        if refusal or deal.status != "open":
            raise refuse(refusal or "ended")
        if not quota.take(session, TIERED, deal_id, user_id, 1, 1):
            raise refuse("already_joined")
        count = session.execute(
            update(TieredDeal).where(TieredDeal.id == deal_id, TieredDeal.status == "open")
            .values(participants=TieredDeal.participants + 1)
            .returning(TieredDeal.participants)).scalar_one_or_none()
        if count is None:
            raise refuse("ended")
        price = domain.current_tier_price(tiers_of(deal), count)
        order = create_order(session, buyer_id=user_id, items=[Item(deal.sku_id, quantity, price)],
                             address=address, share_code=share_code, visitor_id=visitor_id,
                             kind="tiered", campaign_ref=f"tiered:{deal_id}")
        session.add(TieredParticipant(deal_id=deal_id, user_id=user_id, order_id=order.id,
                                      quantity=quantity, paid_price_fen=price, refunded_fen=0,
                                      status="reserved", created_at=now))
        return order_out(order)

    return run_once(f"tiered:{user_id}", idempotency_key, body, work, answer=OrderOut)


__all__ = ["buy_bargain", "buy_flash", "join_group", "join_tiered", "open_group",
           "order_presale"]


def order_presale(*, presale_id: int, user_id: int, quantity: int, address: dict[str, Any],
                  share_code: str | None, idempotency_key: str,
                  visitor_id: str | None = None) -> OrderOut:
    """Order a presale item (预售): pay the deposit now, the balance in its window.

    The order's total is deposit + balance, where the deposit counts for its worth
    (定金膨胀): price 100, deposit 10 worth 30 → 10 now, 70 later. What happens to an
    unpaid balance (the deposit kept or refunded) is the presale's rule, shown before.
    """
    body = {"presale_id": presale_id, "quantity": quantity, "address": address,
            "share_code": share_code}

    def work(session: Session) -> OrderOut:
        presale = session.get(Presale, presale_id)
        if presale is None:
            raise NotFound("no such presale")
        refusal = domain.deposit_refusal(windows_of(presale), clock.now())
        if refusal:
            raise refuse(refusal)
        balance = domain.balance_due(presale.price_fen, presale.deposit_worth_fen)
        order = create_order(
            session, buyer_id=user_id,
            items=[Item(presale.sku_id, quantity, presale.deposit_fen + balance)],
            address=address, share_code=share_code, visitor_id=visitor_id, kind="presale",
            campaign_ref=f"presale:{presale_id}",
            deposit=(presale.deposit_fen * quantity, presale.balance_starts_at,
                     presale.balance_ends_at))
        return order_out(order)

    return run_once(f"presale:{user_id}", idempotency_key, body, work, answer=OrderOut)
