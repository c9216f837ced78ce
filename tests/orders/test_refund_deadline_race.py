"""Two workers' deadline sweeps racing over the same overdue refund requests (real
threads; the race shows on PostgreSQL): each request is granted once, its money leaves
escrow once, and the ledger check stays clean (the autouse fixture)."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.orders import lifecycle
from quanzi.orders.access import Actor
from quanzi.orders.models import Refund
from quanzi.orders.refunds import approve_overdue, request_refund
from quanzi.orders.schemas import RefundCreate, ShipIn
from quanzi.payments.models import PaymentRefund
from tests.factories import make_product, make_supplier, make_user
from tests.orders.race import OPERATOR, paid_order

ORDERS = 40


def _shipped_with_requests() -> list[int]:
    (sku_id,) = make_product(make_supplier(fee_bp=500), [("1盒", 1000, ORDERS)])
    buyer = make_user().id
    ids = []
    for n in range(ORDERS):
        order_id = paid_order(buyer, sku_id, 1, None, f"dl{n}")
        order = lifecycle.ship(actor=OPERATOR, order_id=order_id,
                               data=ShipIn(carrier="顺丰", tracking_no=f"SF{n:06d}"))
        ids.append(request_refund(
            actor=Actor(buyer), order_id=order_id, idempotency_key=f"rq{n}",
            data=RefundCreate.model_validate({
                "lines": [{"line_id": order.lines[0].id, "quantity": 1}],
                "reason": "没收到", "reason_code": "not_received"})).id)
    return ids


def test_two_sweeps_racing_grant_each_overdue_request_once():
    refund_ids = _shipped_with_requests()
    with read_session() as session:
        escrow_before = ledger.balance(session, "escrow")
    clock.advance(get_settings().refund_decision + timedelta(seconds=1))
    start = threading.Barrier(2)
    granted: list[int] = []

    def run() -> None:
        start.wait()
        granted.append(approve_overdue())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == ORDERS
    assert approve_overdue() == 0
    with read_session() as session:
        statuses = session.scalars(select(Refund.status).where(Refund.id.in_(refund_ids)))
        assert set(statuses) == {"refunded"}
        assert ledger.balance(session, "escrow") == escrow_before - ORDERS * 1000
        recorded = session.scalar(select(func.count()).select_from(PaymentRefund))
        assert recorded == ORDERS
