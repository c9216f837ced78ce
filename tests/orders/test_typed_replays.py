"""A replayed Idempotency-Key answers with an equal typed answer (``run_once``'s contract on
the database): the same model type, equal to the first answer, nothing done twice; and a
key stored before the answers were typed still replays."""

from datetime import timedelta

from sqlalchemy import func, select

from quanzi.campaigns import buying
from quanzi.campaigns.buy_schemas import SeatOut
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session, transaction
from quanzi.core.idempotency import IdempotencyKey, fingerprint, stored_form
from quanzi.ledger import payouts
from quanzi.ledger.schemas import PayoutOut
from quanzi.orders.access import Actor
from quanzi.orders.models import Order, Refund
from quanzi.orders.placing import place_order
from quanzi.orders.refunds import request_refund
from quanzi.orders.schemas import OrderCreate, OrderOut, RefundCreate, RefundOut
from quanzi.orders.settlement import settle_due
from quanzi.referral import services as referral
from quanzi.referral.schemas import ConfigIn
from tests.campaigns.test_buying import _group_buy
from tests.factories import ADDRESS, make_product, make_supplier, make_user
from tests.orders.race import completed_orders, paid_order


def _count(model: type[Order] | type[Refund]) -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _stored(scope: str, key: str) -> dict[str, object]:
    with read_session() as session:
        return session.scalars(select(IdempotencyKey.response).where(
            IdempotencyKey.scope == scope, IdempotencyKey.key == key)).one()


def _order_data(sku: int) -> OrderCreate:
    return OrderCreate.model_validate({"items": [{"sku_id": sku, "quantity": 2}],
                                       "address": ADDRESS})


def test_a_replayed_order_is_an_equal_order_out_and_the_key_keeps_its_json():
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    buyer = make_user()
    first = place_order(buyer_id=buyer.id, data=_order_data(sku), idempotency_key="k")
    again = place_order(buyer_id=buyer.id, data=_order_data(sku), idempotency_key="k")
    assert isinstance(again, OrderOut) and again is not first
    assert again == first
    assert _stored(f"order:{buyer.id}", "k") == stored_form(first)
    assert _count(Order) == 1


def test_a_key_stored_before_the_answers_were_typed_replays_as_an_order_out():
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    buyer = make_user()
    data = _order_data(sku)
    first = place_order(buyer_id=buyer.id, data=data, idempotency_key="new")
    old = stored_form(first) | {"id": first.id + 100}  # as the untyped code stored it
    with transaction() as session:
        session.add(IdempotencyKey(scope=f"order:{buyer.id}", key="old", response=old,
                                   request_hash=fingerprint(data.model_dump(mode="json")),
                                   created_at=clock.now()))
    replayed = place_order(buyer_id=buyer.id, data=data, idempotency_key="old")
    assert isinstance(replayed, OrderOut)
    assert replayed.id == first.id + 100 and stored_form(replayed) == old
    assert _count(Order) == 1  # nothing placed for the replayed key


def test_a_replayed_refund_is_an_equal_refund_out_and_refunds_once():
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    buyer = make_user()
    order_id = paid_order(buyer.id, sku, 2, None, "o")
    with read_session() as session:
        line_id = session.get_one(Order, order_id).lines[0].id
    data = RefundCreate(lines=[{"line_id": line_id, "quantity": 1}], reason="多买了")
    first = request_refund(actor=Actor(buyer.id), order_id=order_id, data=data,
                           idempotency_key="r")
    again = request_refund(actor=Actor(buyer.id), order_id=order_id, data=data,
                           idempotency_key="r")
    assert isinstance(again, RefundOut) and again == first
    assert (again.status, again.amount_fen) == ("refunded", 1000)
    assert _count(Refund) == 1


def test_a_replayed_seat_is_an_equal_seat_out_with_its_order():
    group_buy = _group_buy(3)
    user = make_user().id
    first = buying.open_group(group_buy_id=group_buy, user_id=user, address=ADDRESS,
                              share_code=None, idempotency_key="g")
    again = buying.open_group(group_buy_id=group_buy, user_id=user, address=ADDRESS,
                              share_code=None, idempotency_key="g")
    assert isinstance(again, SeatOut) and isinstance(again.order, OrderOut)
    assert again == first and again.order.campaign_ref == f"group:{first.group_id}"
    assert _count(Order) == 1


def test_a_replayed_withdrawal_is_an_equal_payout_out_and_asks_once(monkeypatch):
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    completed_orders(1, price_fen=10_000, quantity=1)
    clock.advance(timedelta(seconds=1))
    assert settle_due() == 1
    with read_session() as session:
        sharer = session.scalars(select(Order.attribution)).one()["promoter_id"]
    first = payouts.request_withdrawal(user_id=sharer, amount_fen=500, idempotency_key="w")
    again = payouts.request_withdrawal(user_id=sharer, amount_fen=500, idempotency_key="w")
    assert isinstance(again, PayoutOut) and again == first
    with read_session() as session:
        asked = payouts.list_payouts(session, account=f"wallet:{sharer}")
    assert [(p.id, p.amount_fen, p.status) for p in asked] == [(first.id, 500, "requested")]
