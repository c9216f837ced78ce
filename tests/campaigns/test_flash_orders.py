"""Turning reserved flash units into orders: a key seen for the first time skips the
idempotency lookup, yet a reused key is still caught, and a request that loses to a
concurrent duplicate gives its units back."""

import threading

from sqlalchemy import func, select

from quanzi.campaigns import buying
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import Outcome
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.orders.schemas import OrderOut
from tests.campaigns.helpers import signed_in
from tests.campaigns.test_buying import _flash
from tests.factories import ADDRESS

BODY = {"quantity": 1, "address": ADDRESS}


def _orders(sale_id: int) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(Order)
                                  .where(Order.campaign_ref == f"flash:{sale_id}")) or 0)


def test_a_key_reused_for_another_sale_is_refused_and_its_units_go_back(client):
    first, _ = _flash(2)
    second, _ = _flash(2)
    _, buyer = signed_in()
    same = {**buyer, "Idempotency-Key": "one-key"}

    bought = client.post(f"/api/v1/flash-sales/{first}/buy", json=BODY, headers=same)
    reused = client.post(f"/api/v1/flash-sales/{second}/buy", json=BODY, headers=same)

    assert bought.status_code == 201
    assert (reused.status_code, reused.json()["error"]["code"]) == (422, "idempotency_key_reused")
    assert _orders(second) == 0
    assert client.get(f"/api/v1/flash-sales/{second}").json()["stock_left"] == 2
    again = client.post(f"/api/v1/flash-sales/{second}/buy", json=BODY,
                        headers={**buyer, "Idempotency-Key": "another-key"})
    assert again.status_code == 201  # the refused request left no count against the limit


def test_two_requests_with_one_key_make_one_order_and_the_loser_gives_its_units_back():
    sale_id, _ = _flash(5, limit=2)
    user_id, _ = signed_in()
    terms = flash_sales.sale_terms(sale_id)
    buy = buying.FlashBuy(sale_id, user_id, 1, ADDRESS, None, "twice")
    for _ in range(2):  # both requests got their units from the counter
        assert flash_stock.reserve(sale_id, user_id, 1, 2) is Outcome.OK
    start = threading.Barrier(2)
    answers: list[OrderOut] = []

    def request() -> None:
        start.wait()
        answers.append(buying.create_flash_order(buy, terms, seen=False))

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 2 and answers[0].id == answers[1].id
    assert _orders(sale_id) == 1
    assert flash_stock.counter().stock_left(sale_id) == 4
    assert flash_stock.reserve(sale_id, user_id, 1, 2) is Outcome.OK  # 1 held, limit 2
    assert flash_stock.reserve(sale_id, user_id, 1, 2) is Outcome.LIMIT_REACHED
