"""Tiered deals: join at the current tier, everyone pays the final tier at the close."""

from datetime import timedelta

from quanzi.campaigns import buying, reactions
from quanzi.campaigns.schemas import TieredDealCreate
from quanzi.campaigns.tiered import deals as tiered_deals
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger import services as ledger
from quanzi.orders.access import Actor
from quanzi.orders.lifecycle import confirm, ship
from quanzi.orders.models import Order
from quanzi.orders.schemas import OrderOut, ShipIn
from quanzi.orders.settlement import settle_due
from tests.campaigns.helpers import bulk_users
from tests.campaigns.test_buying import _pay, _sku, _staff
from tests.factories import ADDRESS

TIERS = [(1, 3990), (3, 3490), (5, 2990)]


def _deal() -> int:
    start = clock.now() - timedelta(minutes=1)
    return tiered_deals.create_tiered_deal(by=_staff(), data=TieredDealCreate(
        sku_id=_sku(), tiers=[{"min_participants": n, "price_fen": p} for n, p in TIERS],
        starts_at=start, ends_at=start + timedelta(hours=1))).id


def _join(deal_id: int, user: int, quantity: int = 1) -> OrderOut:
    return buying.join_tiered(deal_id=deal_id, user_id=user, quantity=quantity, address=ADDRESS,
                              share_code=None, idempotency_key=f"t{user}")


def _balances() -> dict[str, int]:
    with read_session() as session:
        return dict(ledger.balances(session))


def test_join_prices_follow_the_tiers_and_one_place_per_buyer():
    deal = _deal()
    users = bulk_users(3)
    prices = [_join(deal, u).total_fen for u in users]
    assert prices == [3990, 3990, 3490]
    try:
        buying.join_tiered(deal_id=deal, user_id=users[0], quantity=1, address=ADDRESS,
                           share_code=None, idempotency_key="again")
        raise AssertionError("joined twice")
    except Conflict as exc:
        assert exc.code == "already_joined"


def test_close_refunds_exactly_what_was_overpaid_and_settles_the_rest():
    deal = _deal()
    users = bulk_users(6)
    orders = [_join(deal, u, quantity=2 if i == 0 else 1) for i, u in enumerate(users)]
    for order, user in zip(orders[:5], users[:5], strict=True):
        _pay(order.id, user)  # the sixth never pays
    paid_total = sum(o.total_fen for o in orders[:5])
    assert _balances()["escrow"] == paid_total
    clock.advance(timedelta(hours=1))
    assert reactions.close_tiered_deals() == 1
    assert reactions.close_tiered_deals() == 0
    final_total = (2 + 4) * 2990  # five paid buyers reach the 2990 tier; 6 units
    assert _balances()["escrow"] == final_total
    with read_session() as session:
        refunded = sum(session.get_one(Order, o.id).refunded_fen for o in orders[:5])
        assert session.get_one(Order, orders[5].id).status == "cancelled"
    assert refunded == paid_total - final_total
    staff = Actor(0, ("operator",))
    for order, user in zip(orders[:5], users[:5], strict=True):
        ship(actor=staff, order_id=order.id, data=ShipIn(carrier="顺丰", tracking_no="SF0001"))
        confirm(actor=Actor(user), order_id=order.id)
    clock.advance(timedelta(days=8))
    assert settle_due() == 5
    balances = _balances()
    assert balances["escrow"] == 0
    assert sum(balances.values()) == 0
