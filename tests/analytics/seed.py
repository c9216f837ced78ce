"""Orders, refunds, clicks and accounts at chosen Shanghai times on both sides of a
midnight, made through the API and the services, and the figures counted directly from
the stored rows (in Python, row by row) to compare the rollup with."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from fastapi.testclient import TestClient
from sqlalchemy import select

from quanzi.accounts.models import User
from quanzi.analytics.days import Figure, shanghai_day
from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.payments.models import PaymentRefund
from quanzi.referral import clicks
from quanzi.referral.models import Click, Share
from tests.factories import auth, make_product, make_supplier, make_user, pay, place
from tests.referral.conftest import approved_promoter, share_product

SHANGHAI = timezone(timedelta(hours=8))
DAY1, DAY2 = date(2025, 3, 1), date(2025, 3, 2)
LAST_SECOND_OF_DAY1 = datetime(2025, 3, 1, 23, 59, 59, tzinfo=SHANGHAI)
MIDNIGHT = datetime(2025, 3, 2, 0, 0, 0, tzinfo=SHANGHAI)
NOON_DAY2 = datetime(2025, 3, 2, 12, 0, 0, tzinfo=SHANGHAI)


def at(when: datetime) -> None:
    """Stop the clock at ``when``."""
    clock.freeze(when)


@dataclass(frozen=True)
class Shop:
    sku_id: int
    share_id: int


def shop(when: datetime) -> Shop:
    """A supplier's SKU at ¥12.90 and a promoter's share of it, made at ``when``."""
    at(when)
    sku_id = make_product(make_supplier())[0]
    with read_session() as session:
        product_id = session.get_one(Sku, sku_id).product_id
    code = share_product(approved_promoter(), product_id)
    with read_session() as session:
        share_id = session.scalars(select(Share.id).where(Share.code == code)).one()
    return Shop(sku_id, share_id)


def paid_order(client: TestClient, headers: dict[str, str], sku_id: int, quantity: int,
               when: datetime) -> dict:
    """An order placed and paid at ``when``."""
    at(when)
    return pay(client, headers, place(client, headers, [(sku_id, quantity)])["id"])


def refund(client: TestClient, headers: dict[str, str], order: dict, quantity: int,
           when: datetime) -> None:
    """The buyer refunds ``quantity`` units of the order's first line at ``when``."""
    at(when)
    line = order["lines"][0]["id"]
    response = client.post(f"/api/v1/orders/{order['id']}/refunds",
                           json={"lines": [{"line_id": line, "quantity": quantity}],
                                 "reason": "不想要了"},
                           headers={**headers, "Idempotency-Key": f"refund-{order['id']}"})
    assert response.status_code == 201, response.text


def click(share_id: int, visitor: str | None, when: datetime, *, preview: bool = False) -> None:
    clicks.write_clicks([clicks.click_row(
        share_id=share_id, visitor_id=visitor, channel="wechat", referrer=None, ip=None,
        user_agent="Twitterbot/1.0" if preview else "MicroMessenger/8.0", is_preview=preview,
        at=when)])


def seed(client: TestClient) -> Shop:
    """Two buyers, three paid orders, one unpaid, a refund and six clicks around the
    midnight between 1 and 2 March 2025 (Shanghai); the clock stops at noon on the 2nd."""
    given = shop(LAST_SECOND_OF_DAY1 - timedelta(hours=1))
    first_buyer = auth(make_user())
    order1 = paid_order(client, first_buyer, given.sku_id, 2, LAST_SECOND_OF_DAY1)
    at(MIDNIGHT)
    second_buyer = auth(make_user())
    order2 = paid_order(client, second_buyer, given.sku_id, 3, MIDNIGHT)
    paid_order(client, first_buyer, given.sku_id, 1, MIDNIGHT + timedelta(hours=9))
    at(MIDNIGHT + timedelta(hours=10))
    place(client, second_buyer, [(given.sku_id, 1)])  # never paid
    refund(client, second_buyer, order2, 1, MIDNIGHT + timedelta(hours=11))
    refund(client, first_buyer, order1, 2, MIDNIGHT + timedelta(hours=11, minutes=30))
    click(given.share_id, "v1", LAST_SECOND_OF_DAY1)
    click(given.share_id, "v1", LAST_SECOND_OF_DAY1, preview=True)
    for visitor in ("v1", "v2", "v2", None):
        click(given.share_id, visitor, MIDNIGHT)
    at(NOON_DAY2)
    return given


def counted_directly() -> dict[tuple[date, str], int]:
    """Every metric counted from the rows themselves, day by day, in Python: the reference
    the rollup's aggregate SQL must agree with."""
    figures: Counter[tuple[date, str]] = Counter()
    firsts: dict[int, datetime] = {}
    visitors: defaultdict[date, set[str]] = defaultdict(set)
    with read_session() as session:
        for order in session.scalars(select(Order).where(Order.paid_at.is_not(None))):
            assert order.paid_at is not None
            day = shanghai_day(order.paid_at)
            figures[day, "paid_orders"] += 1
            figures[day, "gmv_fen"] += order.total_fen
            firsts[order.buyer_id] = min(firsts.get(order.buyer_id, order.paid_at), order.paid_at)
        for refund_row in session.scalars(select(PaymentRefund)):
            figures[shanghai_day(refund_row.created_at), "refunded_fen"] += refund_row.amount_fen
        for row in session.scalars(select(Click).where(Click.is_preview.is_(False))):
            figures[shanghai_day(row.created_at), "clicks"] += 1
            if row.visitor_id is not None:
                visitors[shanghai_day(row.created_at)].add(row.visitor_id)
        for user in session.scalars(select(User)):
            figures[shanghai_day(user.created_at), "new_accounts"] += 1
    for first in firsts.values():
        figures[shanghai_day(first), "new_buyers"] += 1
    for day, seen in visitors.items():
        figures[day, "visitors"] = len(seen)
    return dict(figures)


def nonzero(figures: list[Figure] | dict[tuple[date, str], int]) -> dict[tuple[date, str], int]:
    pairs = figures.items() if isinstance(figures, dict) else (
        ((day, metric), value) for day, metric, value in figures)
    return {key: value for key, value in pairs if value}
