"""The outbox with typed payloads (core/events.py): a handler gets its kind's model, the row
keeps plain JSON, and a row written before the payloads were typed is handled too."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.core import clock, events
from quanzi.core.db import read_session, transaction
from quanzi.core.events import Event, OutboxEvent
from quanzi.orders.events import OrderPaid
from tests.factories import make_product, make_supplier, make_user
from tests.orders.race import paid_order


class Pinged(Event):
    name = "test.pinged"

    count: int
    note: str | None = None


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Event]]:
    """Every ``Pinged`` and ``OrderPaid`` handled in this test, beside the wired handlers."""
    monkeypatch.setattr(events, "_handlers", {name: list(subscribers) for name, subscribers
                                              in events._handlers.items()})
    got: list[Event] = []

    def hear(session: Session, event: Event) -> None:
        got.append(event)

    events.subscribe(Pinged, hear)
    events.subscribe(OrderPaid, hear)
    yield got


def _rows(name: str) -> list[dict[str, object]]:
    with read_session() as session:
        return list(session.scalars(select(OutboxEvent.payload)
                                    .where(OutboxEvent.name == name).order_by(OutboxEvent.id)))


def test_a_handler_gets_the_model_that_was_emitted_and_the_row_keeps_its_json(heard):
    with transaction() as session:
        events.emit(session, Pinged(count=3))
    assert heard == [Pinged(count=3)] and isinstance(heard[0], Pinged)
    assert _rows("test.pinged") == [{"count": 3, "note": None}]


def test_a_row_written_before_the_payloads_were_typed_is_handled_typed(heard):
    with transaction() as session:
        row = OutboxEvent(name="test.pinged", payload={"count": 5}, created_at=clock.now(),
                          attempts=0)
        session.add(row)
        session.flush()
        row_id = row.id
    assert events.dispatch(row_id) is True
    assert heard == [Pinged(count=5, note=None)]


def test_a_payload_that_does_not_fit_its_kind_is_kept_for_a_retry(heard):
    with transaction() as session:
        row = OutboxEvent(name="test.pinged", payload={"count": "many"},
                          created_at=clock.now(), attempts=0)
        session.add(row)
        session.flush()
        row_id = row.id
    assert events.dispatch(row_id) is False
    assert heard == []
    with read_session() as session:
        kept = session.get_one(OutboxEvent, row_id)
        assert kept.processed_at is None and "validation error" in (kept.last_error or "")


def test_a_paid_order_is_heard_as_order_paid_with_its_lines(heard):
    (sku,) = make_product(make_supplier(), [("1kg", 1000, 10)])
    buyer = make_user()
    order_id = paid_order(buyer.id, sku, 2, None, "o")
    (paid,) = [event for event in heard if isinstance(event, OrderPaid)]
    assert (paid.order_id, paid.buyer_id, paid.total_fen) == (order_id, buyer.id, 2000)
    assert [(line.quantity, line.amount_fen) for line in paid.lines] == [(2, 2000)]
    assert paid.payment_id is not None
    (stored,) = _rows("order.paid")
    assert set(stored) == {"order_id", "buyer_id", "supplier_id", "kind", "campaign_ref",
                           "total_fen", "attribution", "lines", "payment_id"}
