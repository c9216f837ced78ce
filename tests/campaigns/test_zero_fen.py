"""0-fen orders (0元砍价, a 0-price flash sale or group buy, a presale with no balance left)
are paid when placed, without a payment or a ledger entry, and then flow on like any
other order; asking to pay one is a 409 ``nothing_due``."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi import audit
from quanzi.campaigns import buying
from quanzi.campaigns.bargain import runs as bargains
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.models import FlashReservation
from quanzi.campaigns.presale import terms as presales
from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
)
from quanzi.catalog.models import Sku
from quanzi.core import clock, events
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger.models import JournalEntry
from quanzi.orders import lifecycle, paying
from quanzi.orders.access import Actor
from quanzi.orders.models import Order
from quanzi.orders.schemas import ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from quanzi.payments.models import Payment
from tests.campaigns.helpers import bulk_users
from tests.campaigns.test_buying import _sku, _staff
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user, place
from tests.web.helpers import form_post, sign_in


def _count(model: type) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _order(order_id: int) -> Order:
    with read_session() as session:
        return session.get_one(Order, order_id)


def _refused_payment(order_id: int, buyer: int) -> str:
    with pytest.raises(Conflict) as refused:
        paying.start_payment(order_id=order_id, payer_id=buyer, provider_name="sandbox",
                             idempotency_key=f"pay-{order_id}")
    return refused.value.code


def test_a_bargain_cut_to_zero_is_paid_when_bought_and_settles(monkeypatch):
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    bargain = bargains.create_bargain(by=_staff(), data=BargainCreate(
        sku_id=_sku(price=3990), start_price_fen=3990, floor_price_fen=0, helps_needed=1,
        duration_s=3600))
    owner, friend = bulk_users(2)
    run = bargains.start_bargain(bargain_id=bargain.id, user_id=owner)
    assert bargains.help_bargain(run_id=run.bargain_run_id, helper_id=friend
                                 ).current_price_fen == 0
    order = buying.buy_bargain(run_id=run.bargain_run_id, user_id=owner, address=ADDRESS,
                               idempotency_key="buy")
    assert (order.status, order.total_fen) == ("paid", 0)
    assert _refused_payment(order.id, owner) == "nothing_due"
    assert (_count(Payment), _count(JournalEntry)) == (0, 0)
    lifecycle.ship(actor=Actor(0, ("operator",)), order_id=order.id,
                   data=ShipIn(carrier="顺丰", tracking_no="SF0001"))
    lifecycle.confirm(actor=Actor(owner), order_id=order.id)
    clock.advance(timedelta(seconds=1))
    assert settle_due() == 1
    assert _order(order.id).settled_at is not None
    assert _count(JournalEntry) == 0 and audit.check() == []


def test_a_zero_price_flash_sale_is_paid_at_once_and_keeps_its_unit():
    start = clock.now() - timedelta(minutes=1)
    sale = flash_sales.create_flash_sale(by=_staff(), data=FlashSaleCreate(
        sku_id=_sku(), price_fen=0, stock=2, per_user_limit=1, starts_at=start,
        ends_at=start + timedelta(hours=1)))
    (buyer,) = bulk_users(1)
    order = buying.buy_flash(sale_id=sale.id, user_id=buyer, quantity=1, address=ADDRESS,
                             share_code=None, idempotency_key="f")
    assert (order.status, order.total_fen) == ("paid", 0)
    clock.advance(timedelta(minutes=10))  # past the flash payment window
    lifecycle.expire_unpaid()
    flash_sales.release_expired_reservations()
    events.dispatch_pending()
    with read_session() as session:
        status = session.scalar(select(FlashReservation.status)
                                .where(FlashReservation.order_id == order.id))
    assert status == "paid" and _order(order.id).status == "paid"


def test_zero_price_group_members_count_as_paid():
    group_buy = group_buys.create_group_buy(by=_staff(), data=GroupBuyCreate(
        sku_id=_sku(), price_fen=0, group_size=2, duration_s=3600))
    first, second = bulk_users(2)
    opened = buying.open_group(group_buy_id=group_buy.id, user_id=first, address=ADDRESS,
                               share_code=None, idempotency_key="o")
    joined = buying.join_group(group_id=opened.group_id, user_id=second, address=ADDRESS,
                               share_code=None, idempotency_key="j")
    assert opened.order.status == joined.order.status == "paid"
    with read_session() as session:
        group = group_buys.get_group(session, opened.group_id)
    assert (group.status, group.paid_members) == ("succeeded", 2)
    assert _count(JournalEntry) == 0


def test_a_presale_with_no_balance_left_is_paid_with_its_deposit():
    now = clock.now()
    presale = presales.create_presale(by=_staff(), data=PresaleCreate(
        sku_id=_sku(price=10_000), price_fen=10_000, deposit_fen=2000,
        deposit_worth_fen=10_000, deposit_starts_at=now - timedelta(minutes=1),
        deposit_ends_at=now + timedelta(days=1), balance_starts_at=now + timedelta(days=2),
        balance_ends_at=now + timedelta(days=3)))
    (buyer,) = bulk_users(1)
    order = buying.order_presale(presale_id=presale.id, user_id=buyer, quantity=2,
                                 address=ADDRESS, share_code=None, idempotency_key="p")
    assert (order.total_fen, order.deposit_fen) == (4000, 4000)
    intent = paying.start_payment(order_id=order.id, payer_id=buyer,
                                  provider_name="sandbox", idempotency_key="deposit")
    assert intent.amount_fen == 4000
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer)
    assert _order(order.id).status == "paid"
    assert _refused_payment(order.id, buyer) == "invalid_transition"  # it is paid
    assert audit.check() == []


def test_a_free_order_is_paid_and_its_page_offers_no_payment(client):
    (sku,) = make_product(make_supplier(), [("试用装", 0, 10)])
    buyer = make_user()
    order = place(client, auth(buyer), [(sku, 1)])
    assert (order["status"], order["total_fen"]) == ("paid", 0)
    pay = client.post(f"/api/v1/orders/{order['id']}/pay", json={"provider": "sandbox"},
                      headers={**auth(buyer), "Idempotency-Key": "p"})
    assert pay.status_code == 409 and pay.json()["error"]["code"] == "nothing_due"
    assert _count(Payment) == 0
    sign_in(client, buyer.email or "")
    page = client.get(f"/orders/{order['id']}").text
    assert "去支付" not in page and f'action="/orders/{order["id"]}/pay"' not in page


def test_checking_out_a_free_item_on_the_pages_goes_to_the_paid_order(client):
    supplier_id = make_supplier()
    (sku,) = make_product(supplier_id, [("试用装", 0, 10)])
    with read_session() as session:
        product = session.get_one(Sku, sku).product_id
    sign_in(client, make_user().email or "")
    page = f"/checkout?product={product}&sku={sku}&qty=1"
    placed = form_post(client, page, "/checkout", {"line": f"{product}-{sku}-1", "key": "k",
                                                   "from_cart": "0", **ADDRESS})
    assert placed.status_code == 303
    (order_id,) = [o.id for o in _orders()]
    assert placed.headers["location"] == f"/orders/{order_id}"
    assert _order(order_id).status == "paid" and _count(Payment) == 0


def _orders() -> list[Order]:
    with read_session() as session:
        return list(session.scalars(select(Order)))
