"""Buying through campaigns end to end: orders, payment, expiry, refunds through the ledger."""

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from quanzi.accounts.identity import Identity
from quanzi.campaigns import buying, reactions
from quanzi.campaigns.bargain import runs as bargains
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.models import Group, GroupMember
from quanzi.campaigns.schemas import BargainCreate, FlashSaleCreate, GroupBuyCreate
from quanzi.catalog.models import Sku
from quanzi.core import clock, events
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.ledger import services as ledger
from quanzi.orders import paying
from quanzi.orders.lifecycle import expire_unpaid
from quanzi.orders.models import Order
from quanzi.orders.schemas import OrderOut
from quanzi.payments import services as payments
from tests.campaigns.helpers import bulk_users, run_concurrently, signed_in
from tests.factories import ADDRESS, make_product, make_supplier


def _staff() -> Identity:
    operator_id, _ = signed_in("operator")
    return Identity(id=operator_id, name="运营", roles=("consumer", "operator"), supplier_id=None)


def _sku(stock: int = 1000, price: int = 10000) -> int:
    return make_product(make_supplier(), [("1件", price, stock)])[0]


def _pay(order_id: int, buyer_id: int) -> None:
    intent = paying.start_payment(order_id=order_id, payer_id=buyer_id, provider_name="sandbox",
                                  idempotency_key=f"pay-{order_id}")
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer_id)


def _order(order_id: int) -> Order:
    with read_session() as session:
        return session.get_one(Order, order_id)


def _balance(code: str) -> int:
    with read_session() as session:
        return ledger.balance(session, code)


def _flash(stock: int, *, starts_in: timedelta = timedelta(minutes=-1), limit: int = 1,
           sku_stock: int = 1000) -> tuple[int, int]:
    sku = _sku(sku_stock)
    start = clock.now() + starts_in
    sale = flash_sales.create_flash_sale(by=_staff(), data=FlashSaleCreate(
        sku_id=sku, price_fen=990, stock=stock, per_user_limit=limit, starts_at=start,
        ends_at=start + timedelta(hours=1)))
    return sale.id, sku


def test_flash_buy_before_start_is_409_not_started():
    sale_id, _ = _flash(5, starts_in=timedelta(minutes=10))
    (user,) = bulk_users(1)
    try:
        buying.buy_flash(sale_id=sale_id, user_id=user, quantity=1, address=ADDRESS,
                         share_code=None, idempotency_key="k")
        raise AssertionError("bought before the start")
    except Conflict as exc:
        assert exc.code == "not_started"
    assert flash_stock.stock_left(sale_id) == 5


def test_flash_order_at_flash_price_released_when_unpaid_and_resold():
    sale_id, sku = _flash(1)
    first, second = bulk_users(2)
    order = buying.buy_flash(sale_id=sale_id, user_id=first, quantity=1, address=ADDRESS,
                             share_code=None, idempotency_key="a")
    assert (order.kind, order.total_fen) == ("flash_sale", 990)
    again = buying.buy_flash(sale_id=sale_id, user_id=first, quantity=1, address=ADDRESS,
                             share_code=None, idempotency_key="a")
    assert again.id == order.id  # a replay, not a second unit
    try:
        buying.buy_flash(sale_id=sale_id, user_id=second, quantity=1, address=ADDRESS,
                         share_code=None, idempotency_key="b")
        raise AssertionError("sold twice")
    except Conflict as exc:
        assert exc.code == "sold_out"
    clock.advance(timedelta(minutes=5, seconds=1))  # the flash payment window
    assert expire_unpaid() == 1
    events.dispatch_pending()
    assert flash_stock.stock_left(sale_id) == 1
    resold = buying.buy_flash(sale_id=sale_id, user_id=second, quantity=1, address=ADDRESS,
                              share_code=None, idempotency_key="b")
    _pay(resold.id, second)
    assert _order(resold.id).status == "paid"
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 999


def test_2000_concurrent_flash_buyers_with_retries_get_exactly_100():
    sale_id, sku = _flash(100)
    users = bulk_users(1500)
    attempts = users + random.Random(7).sample(users, 500)  # 500 users retry

    def attempt(n_user: tuple[int, int]) -> str:
        n, user = n_user
        try:
            buying.buy_flash(sale_id=sale_id, user_id=user, quantity=1, address=ADDRESS,
                             share_code=None, idempotency_key=f"f{n}")
            return "ok"
        except Conflict as exc:
            return exc.code

    outcomes = run_concurrently(attempt, list(enumerate(attempts)))
    assert outcomes.count("ok") == 100
    assert set(outcomes) <= {"ok", "sold_out", "limit_reached"}
    with read_session() as session:
        buyers = session.scalars(select(Order.buyer_id).where(Order.kind == "flash_sale")).all()
        assert len(buyers) == len(set(buyers)) == 100  # one each: the per-user limit held
        assert session.get_one(Sku, sku).stock == 1000 - 100


def _group_buy(size: int = 3, auto: bool = False) -> int:
    data = GroupBuyCreate(sku_id=_sku(), price_fen=1990, group_size=size, duration_s=3600,
                          per_user_limit=1, auto_complete=auto)
    return group_buys.create_group_buy(by=_staff(), data=data).id


def _join(group_id: int, user: int, key: str = "j") -> OrderOut:
    return buying.join_group(group_id=group_id, user_id=user, address=ADDRESS, share_code=None,
                             idempotency_key=key).order


def test_group_succeeds_when_all_seats_are_paid_and_the_4th_is_refused():
    gb = _group_buy(3)
    a, b, c, d = bulk_users(4)
    opened = buying.open_group(group_buy_id=gb, user_id=a, address=ADDRESS, share_code=None,
                               idempotency_key="o")
    group_id = opened.group_id
    orders = [opened.order, _join(group_id, b), _join(group_id, c)]
    try:
        _join(group_id, d)
        raise AssertionError("a fourth seat")
    except Conflict as exc:
        assert exc.code == "group_full"
    for order, user in zip(orders, (a, b, c), strict=True):
        _pay(order.id, user)
    with read_session() as session:
        group = session.get_one(Group, group_id)
        assert (group.status, group.paid_count) == ("succeeded", 3)
    assert _balance("escrow") == 3 * 1990


def test_a_group_that_expires_short_is_refunded_once_even_with_two_sweeps():
    gb = _group_buy(3)
    a, b, c = bulk_users(3)
    opened = buying.open_group(group_buy_id=gb, user_id=a, address=ADDRESS, share_code=None,
                               idempotency_key="o")
    group_id = opened.group_id
    second = _join(group_id, b)
    third = _join(group_id, c)
    _pay(opened.order.id, a)
    _pay(second.id, b)
    assert _balance("escrow") == 2 * 1990
    clock.advance(timedelta(hours=1, seconds=1))
    with ThreadPoolExecutor(max_workers=2) as pool:
        closed = list(pool.map(lambda _: reactions.close_expired_groups(), range(2)))
    assert sorted(closed) == [0, 1]
    assert _order(opened.order.id).status == "refunded"
    assert _order(second.id).status == "refunded"
    assert _order(third.id).status in {"cancelled"}
    assert _balance("escrow") == 0
    with read_session() as session:
        assert session.get_one(Group, group_id).status == "failed"
        entries = ledger.entries_for(session, f"order:{opened.order.id}")
        assert [e.kind for e in entries] == ["payment", "refund"]


def test_auto_complete_group_succeeds_at_expiry():
    gb = _group_buy(3, auto=True)
    (a,) = bulk_users(1)
    opened = buying.open_group(group_buy_id=gb, user_id=a, address=ADDRESS, share_code=None,
                               idempotency_key="o")
    _pay(opened.order.id, a)
    clock.advance(timedelta(hours=2))
    assert reactions.close_expired_groups() == 1
    with read_session() as session:
        assert session.get_one(Group, opened.group_id).status == "succeeded"
    assert _order(opened.order.id).status == "paid"


def test_500_concurrent_joins_across_groups_of_3_never_pay_more_than_3():
    gb = _group_buy(3)
    leaders = bulk_users(40)
    groups = [buying.open_group(group_buy_id=gb, user_id=u, address=ADDRESS, share_code=None,
                                idempotency_key="o").group_id for u in leaders]
    joiners = bulk_users(500)

    def join(n_user: tuple[int, int]) -> tuple[int, int] | None:
        n, user = n_user
        try:
            order = _join(groups[n % len(groups)], user, f"j{n}")
            return order.id, user
        except Conflict:
            return None

    seated = [s for s in run_concurrently(join, list(enumerate(joiners))) if s]
    assert len(seated) == 2 * len(groups)
    run_concurrently(lambda s: _pay(*s), seated)
    events.dispatch_pending()
    with read_session() as session:
        paid = session.execute(select(GroupMember.group_id, func.count())
                               .where(GroupMember.status == "paid")
                               .group_by(GroupMember.group_id)).all()
        statuses = set(session.scalars(select(Group.status).where(Group.id.in_(groups))))
    assert max(count for _, count in paid) <= 3
    assert statuses == {"open"}  # leaders have not paid yet


def test_bargain_owner_buys_at_the_current_price_once():
    bargain = bargains.create_bargain(by=_staff(), data=BargainCreate(
        sku_id=_sku(), start_price_fen=10000, floor_price_fen=100, helps_needed=3,
        duration_s=3600))
    owner, helper = bulk_users(2)
    run = bargains.start_bargain(bargain_id=bargain.id, user_id=owner)
    cut = bargains.help_bargain(run_id=run.bargain_run_id, helper_id=helper)
    order = buying.buy_bargain(run_id=run.bargain_run_id, user_id=owner, address=ADDRESS,
                               idempotency_key="b")
    assert order.total_fen == run.current_price_fen - cut.cut_fen == cut.current_price_fen
    assert run.current_price_fen < 10000  # the starter's own first cut
    try:
        buying.buy_bargain(run_id=run.bargain_run_id, user_id=owner, address=ADDRESS,
                           idempotency_key="b2")
        raise AssertionError("bought twice")
    except Conflict as exc:
        assert exc.code == "ended"


def test_the_allotment_leaves_the_sku_and_unsold_units_come_back_once_at_the_end():
    sale_id, sku = _flash(10, sku_stock=50)
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 40
    buyers = bulk_users(3)
    orders = [buying.buy_flash(sale_id=sale_id, user_id=u, quantity=1, address=ADDRESS,
                               share_code=None, idempotency_key="e") for u in buyers]
    _pay(orders[0].id, buyers[0])
    clock.advance(timedelta(hours=1, minutes=2))
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(lambda _: flash_sales.end_sales(), range(2))) == [0, 1]
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 40 + 7  # 3 units still held by orders
    assert expire_unpaid() == 2  # the two unpaid orders lapse after the end
    events.dispatch_pending()
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 40 + 9  # their units reach the SKU too
