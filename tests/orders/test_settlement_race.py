"""After-sales refunds racing the settlement sweep (real threads; the race shows on
PostgreSQL): each order is refunded before settlement (its commission reversed, the
settlement splitting what is left) or settled and then clawed back, never settled in full
and refunded from escrow as if it were not."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from quanzi import audit
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.ledger.models import JournalEntry, Posting
from quanzi.orders.refunds import after_sales_refund
from quanzi.orders.schemas import RefundCreate
from quanzi.orders.settlement import settle_due
from quanzi.referral import services as referral
from quanzi.referral.schemas import ConfigIn
from tests.orders.race import OPERATOR, completed_orders

ORDERS = 150


def _refund_all(order_ids: list[int], lines: dict[int, int], start: threading.Barrier) -> None:
    start.wait()
    for order_id in order_ids:
        after_sales_refund(actor=OPERATOR, order_id=order_id, idempotency_key=f"as{order_id}",
                           data=RefundCreate(lines=[{"line_id": lines[order_id],
                                                     "quantity": 1}], reason="坏了"))


def _settle_until_done(start: threading.Barrier) -> None:
    start.wait()
    while settle_due():
        pass


def _entries(order_id: int) -> dict[str, int]:
    """Kind → escrow amount of the order's entries (one of each kind at most)."""
    with read_session() as session:
        rows = session.execute(
            select(JournalEntry.kind, func.sum(Posting.amount_fen))
            .join(Posting, Posting.entry_id == JournalEntry.id)
            .where(JournalEntry.ref == f"order:{order_id}", Posting.amount_fen < 0)
            .group_by(JournalEntry.kind)).all()
    return {kind: int(total) for kind, total in rows}


def test_after_sales_refunds_racing_the_settlement_sweep(monkeypatch):
    monkeypatch.setattr(get_settings(), "return_window", timedelta(0))
    referral.save_config(ConfigIn(level1_bp=1000, cap_bp=2000))
    orders = completed_orders(ORDERS, price_fen=1000, quantity=2)
    lines = dict(orders)
    ids = sorted(lines)
    clock.advance(timedelta(seconds=1))
    start = threading.Barrier(4)
    threads = [threading.Thread(target=_refund_all, args=(ids[::2], lines, start)),
               threading.Thread(target=_refund_all, args=(ids[1::2], lines, start)),
               threading.Thread(target=_settle_until_done, args=(start,)),
               threading.Thread(target=_settle_until_done, args=(start,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    settle_due()

    assert audit.check() == []
    paths = {"refunded_first": 0, "clawed_back": 0}
    for order_id in ids:
        entries = _entries(order_id)
        assert entries["refund"] == -1000
        if "clawback" in entries:  # settled in full, then 1 unit came back
            assert entries["settlement"] == -2000
            paths["clawed_back"] += 1
        else:  # refunded first: the settlement split what was left
            assert entries["settlement"] == -1000
            paths["refunded_first"] += 1
    assert sum(paths.values()) == ORDERS
