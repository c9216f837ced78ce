"""Orders and campaign prices have a ceiling (QUANZI_MAX_ORDER_FEN), and money columns
hold amounts past 32 bits on every backend."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders.models import Order
from quanzi.orders.settlement import settle_due
from tests.factories import auth, make_product, make_supplier, make_user, pay, place

MILLION_YUAN = 100_000_000  # fen


def _counts(sku_id: int) -> tuple[int, int]:
    with read_session() as session:
        orders = session.scalar(select(func.count()).select_from(Order))
        return int(orders or 0), session.get_one(Sku, sku_id).stock


def test_an_order_above_the_maximum_is_refused_and_nothing_is_written(client):
    (sku,) = make_product(make_supplier(), [("金条", MILLION_YUAN, 1000)])
    buyer = auth(make_user())
    response = client.post("/api/v1/orders", headers={**buyer, "Idempotency-Key": "huge"},
                           json={"items": [{"sku_id": sku, "quantity": 999}],
                                 "address": {"name": "张三", "phone": "13800138000",
                                             "region": "上海市", "detail": "世纪大道 1 号"}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "order_too_large"
    assert _counts(sku) == (0, 1000)


def test_an_order_of_exactly_the_maximum_is_placed(client):
    (sku,) = make_product(make_supplier(), [("金条", MILLION_YUAN, 10)])
    order = place(client, auth(make_user()), [(sku, 1)])
    assert order["total_fen"] == get_settings().max_order_fen == MILLION_YUAN


def test_amounts_past_32_bits_are_kept_exactly(client, monkeypatch):
    """With the ceiling raised, 999 × ¥1,000,000 is placed, paid and settled to the fen."""
    monkeypatch.setattr(get_settings(), "max_order_fen", 10**12)
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    supplier_id = make_supplier(fee_bp=500)
    (sku,) = make_product(supplier_id, [("金条", MILLION_YUAN, 1000)])
    buyer = auth(make_user())
    staff = auth(make_user("supplier", supplier_id=supplier_id))
    order = pay(client, buyer, place(client, buyer, [(sku, 999)])["id"])
    total = 999 * MILLION_YUAN
    assert total > 2**31 and order["total_fen"] == total
    client.post(f"/api/v1/orders/{order['id']}/ship", headers=staff,
                json={"carrier": "顺丰", "tracking_no": "SF0000001"})
    client.post(f"/api/v1/orders/{order['id']}/confirm", headers=buyer)
    clock.advance(timedelta(seconds=1))
    assert settle_due() == 1
    with read_session() as session:
        assert ledger.balance(session, f"supplier:{supplier_id}") == total - total * 5 // 100
        assert ledger.balance(session, "platform_revenue") == total * 5 // 100
        assert ledger.balance(session, "external") == -total


@pytest.mark.parametrize("kind", ["flash-sales", "group-buys", "bargains", "tiered-deals",
                                  "presales"])
def test_a_campaign_priced_above_the_maximum_is_refused(client, monkeypatch, kind):
    monkeypatch.setattr(get_settings(), "max_order_fen", 5000)
    (sku,) = make_product(make_supplier(), [("500g", 9000, 100)])
    operator = auth(make_user("operator"))
    start = clock.now() + timedelta(hours=1)
    later = [(start + timedelta(days=d)).isoformat() for d in range(4)]
    bodies = {
        "flash-sales": {"price_fen": 6000, "stock": 10, "per_user_limit": 1,
                        "starts_at": later[0], "ends_at": later[1]},
        "group-buys": {"price_fen": 6000, "group_size": 2, "duration_s": 3600},
        "bargains": {"start_price_fen": 6000, "floor_price_fen": 0, "helps_needed": 3,
                     "duration_s": 3600},
        "tiered-deals": {"tiers": [{"min_participants": 1, "price_fen": 6000},
                                   {"min_participants": 5, "price_fen": 4000}],
                         "starts_at": later[0], "ends_at": later[1]},
        "presales": {"price_fen": 6000, "deposit_fen": 100, "deposit_worth_fen": 300,
                     "deposit_starts_at": later[0], "deposit_ends_at": later[1],
                     "balance_starts_at": later[2], "balance_ends_at": later[3]},
    }
    response = client.post(f"/api/v1/{kind}", headers=operator,
                           json={"sku_id": sku, **bodies[kind]})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "amount_too_large"
    listed = client.get("/api/v1/campaigns").json()["items"]
    assert listed == [] and _counts(sku) == (0, 100)
