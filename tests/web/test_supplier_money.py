"""The supplier's balance and payouts, and marking an order delivered, through the pages."""

from datetime import timedelta

from sqlalchemy import select

from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.ledger.models import Payout
from quanzi.orders import lifecycle, paying
from quanzi.orders.access import Actor
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from tests.factories import ADDRESS, make_product, make_supplier, make_user, snapshot
from tests.web.helpers import form_post, sign_in

PAGE = "/supplier/balance"
SHIP = ShipIn(carrier="顺丰", tracking_no="SF1234567")


def paid_order(supplier_id: int, sku_id: int, key: str) -> tuple[int, int]:
    """A ¥100.00 order, paid: (order id, buyer id)."""
    buyer = make_user()
    order = place_order(buyer_id=buyer.id, idempotency_key=key, data=OrderCreate(
        items=[{"sku_id": sku_id, "quantity": 1}], address=ADDRESS))
    intent = paying.start_payment(order_id=order.id, payer_id=buyer.id,
                                  provider_name="sandbox", idempotency_key=key)
    payments.complete_sandbox(payment_id=intent.payment_id, payer_id=buyer.id)
    return order.id, buyer.id


def shop_with_money() -> tuple[int, object, int]:
    """A supplier (5% fee) with one settled ¥100 order and one paid ¥100 order in escrow."""
    supplier_id = make_supplier("茶园", fee_bp=500)
    (sku_id,) = make_product(supplier_id, [("1kg", 10000, 10)])
    staff = make_user("supplier", supplier_id=supplier_id)
    seller = Actor(id=staff.id, roles=tuple(staff.roles), supplier_id=supplier_id)
    settled, buyer = paid_order(supplier_id, sku_id, "a")
    lifecycle.ship(actor=seller, order_id=settled, data=SHIP)
    lifecycle.confirm(actor=Actor(id=buyer, roles=("consumer",), supplier_id=None),
                      order_id=settled)
    assert settle_due(clock.now() + timedelta(days=8)) == 1
    paid_order(supplier_id, sku_id, "b")
    return supplier_id, staff, sku_id


def test_balance_shows_payable_escrow_and_a_payout_request(client):
    _, staff, _ = shop_with_money()
    sign_in(client, staff.email)
    page = client.get(PAGE).text
    assert 'data-testid="payable">¥95.00' in page and 'data-testid="escrow">¥100.00' in page
    assert 'data-testid="paid-out">¥0.00' in page
    done = form_post(client, PAGE, "/supplier/payouts", {"amount": "50"})
    assert done.status_code == 303
    with read_session() as session:
        payout = session.scalars(select(Payout)).one()
        assert (payout.amount_fen, payout.status, payout.kind) == (5000, "requested",
                                                                  "supplier_payout")
    after = client.get(PAGE).text
    assert 'data-testid="available">¥45.00' in after and f'payout-{payout.id}' in after


def test_a_refused_payout_is_shown_and_requests_nothing(client):
    _, staff, _ = shop_with_money()
    sign_in(client, staff.email)
    too_much = form_post(client, PAGE, "/supplier/payouts", {"amount": "95.01"})
    assert too_much.status_code == 409 and "可结算余额不足" in too_much.text
    too_small = form_post(client, PAGE, "/supplier/payouts", {"amount": "0.99"})
    assert too_small.status_code == 422 and "单笔结算至少" in too_small.text
    garbage = form_post(client, PAGE, "/supplier/payouts", {"amount": "abc"})
    assert garbage.status_code == 422
    assert client.post("/supplier/payouts", data={"amount": "10"}).status_code == 403  # no CSRF
    with read_session() as session:
        assert session.scalars(select(Payout)).all() == []


def test_operators_look_at_any_supplier_but_request_nothing(client):
    supplier_id, _, _ = shop_with_money()
    sign_in(client, make_user("operator").email)
    assert "请选择供货商" in client.get(PAGE).text
    page = client.get(PAGE, params={"supplier_id": supplier_id}).text
    assert 'data-testid="payable">¥95.00' in page and 'action="/supplier/payouts"' not in page
    before = snapshot()
    assert form_post(client, PAGE, "/supplier/payouts", {"amount": "10"}).status_code == 403
    assert snapshot() == before


def test_consumers_are_refused(client):
    sign_in(client, make_user().email)
    assert client.get(PAGE).status_code == 403


def test_the_supplier_marks_a_shipped_order_delivered(client):
    supplier_id = make_supplier()
    (sku_id,) = make_product(supplier_id, [("1kg", 10000, 10)])
    staff = make_user("supplier", supplier_id=supplier_id)
    order_id, _ = paid_order(supplier_id, sku_id, "c")
    sign_in(client, staff.email)
    form_post(client, "/supplier", f"/supplier/orders/{order_id}/ship",
              {"carrier": "顺丰", "tracking_no": "SF1234567"})
    assert f'data-testid="shipped-{order_id}"' in client.get("/supplier").text
    assert client.post(f"/supplier/orders/{order_id}/deliver").status_code == 403  # no CSRF
    done = form_post(client, "/supplier", f"/supplier/orders/{order_id}/deliver")
    assert done.status_code == 303
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "delivered"
    again = form_post(client, "/supplier", f"/supplier/orders/{order_id}/deliver")
    assert again.status_code == 409


def test_another_supplier_cannot_deliver_my_order(client):
    supplier_id = make_supplier()
    (sku_id,) = make_product(supplier_id, [("1kg", 10000, 10)])
    staff = make_user("supplier", supplier_id=supplier_id)
    order_id, _ = paid_order(supplier_id, sku_id, "d")
    lifecycle.ship(actor=Actor(id=staff.id, roles=tuple(staff.roles),
                               supplier_id=supplier_id), order_id=order_id, data=SHIP)
    sign_in(client, make_user("supplier", supplier_id=make_supplier()).email)
    refused = form_post(client, "/supplier", f"/supplier/orders/{order_id}/deliver")
    assert refused.status_code in (403, 404)
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "shipped"
