"""200 buyers at once for 50 units: exactly 50 orders, never a negative stock."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from tests.factories import ADDRESS, make_product, make_supplier, make_user


def test_200_concurrent_orders_for_stock_50():
    (sku,) = make_product(make_supplier(), [("1kg", 990, 50)])
    buyers = [make_user().id for _ in range(20)]
    data = OrderCreate.model_validate({"items": [{"sku_id": sku, "quantity": 1}],
                                       "address": ADDRESS})

    def attempt(n: int) -> str:
        try:
            place_order(buyer_id=buyers[n % len(buyers)], data=data, idempotency_key=f"c{n}")
            return "ok"
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=24) as pool:
        outcomes = list(pool.map(attempt, range(200)))

    assert outcomes.count("ok") == 50
    assert outcomes.count("out_of_stock") == 150
    with read_session() as session:
        assert session.get_one(Sku, sku).stock == 0
        assert session.scalar(select(func.count()).select_from(Order)) == 50
        assert session.scalar(select(func.sum(OrderLine.quantity))) == 50


def test_orders_naming_the_same_skus_in_opposite_orders_never_deadlock():
    """Stock is taken SKU by SKU in the order of their ids, whatever the order of the items:
    on PostgreSQL two orders locking the rows in opposite orders would wait for each other
    in a circle, and one would fail with a deadlock."""
    first, second, third = make_product(make_supplier(), [("s", 990, 1000), ("m", 1290, 1000),
                                                           ("l", 1590, 1000)])
    buyers = [make_user().id for _ in range(8)]
    orders = [[first, second, third], [third, second, first]]

    def attempt(n: int) -> None:
        data = OrderCreate.model_validate({
            "items": [{"sku_id": sku, "quantity": 1} for sku in orders[n % 2]],
            "address": ADDRESS})
        place_order(buyer_id=buyers[n % len(buyers)], data=data, idempotency_key=f"d{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(attempt, range(120)))  # a deadlock raises here

    with read_session() as session:
        stocks = [session.get_one(Sku, sku).stock for sku in (first, second, third)]
        assert stocks == [880, 880, 880]
        assert session.scalar(select(func.count()).select_from(Order)) == 120
