"""A new order is written by Core inserts and kept in the session as if read back
(``core.db.as_loaded``): the object is the row, reading it costs no statement, and a
change to it in the same transaction is flushed as an update."""

import pytest
from sqlalchemy import event, inspect

from quanzi.core import clock
from quanzi.core.db import as_loaded, get_db, read_session, table, transaction
from quanzi.orders.models import Order, OrderLine
from quanzi.orders.placing import Item, create_order
from tests.factories import ADDRESS, make_product, make_supplier, make_user


def _columns(row: object, model: type) -> dict[str, object]:
    return {column.key: getattr(row, column.key) for column in table(model).c}


def test_the_new_order_is_its_row_and_changes_to_it_are_updates() -> None:
    skus = make_product(make_supplier(), [("1kg", 1200, 5), ("2kg", 2000, 5)])
    buyer = make_user()
    statements: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement.split()[0])

    with transaction() as session:
        order = create_order(session, buyer_id=buyer.id, address=dict(ADDRESS),
                             items=[Item(skus[1], 2), Item(skus[0], 1)])
        assert inspect(order).persistent and order in session
        for engine in get_db().engines:
            event.listen(engine, "before_cursor_execute", record)
        try:
            seen = _columns(order, Order)
            lines = [_columns(line, OrderLine) for line in order.lines]
            assert statements == []  # nothing expired, nothing loaded again
            order.hold = "checking"
            session.flush()
            assert statements == ["UPDATE"]
        finally:
            for engine in get_db().engines:
                event.remove(engine, "before_cursor_execute", record)
        order_id = order.id
    assert seen["status"] == "pending_payment" and seen["total_fen"] == 5200
    assert seen["paid_at"] is None and seen["created_at"] <= clock.now()
    with read_session() as session:
        stored = session.get_one(Order, order_id)
        assert _columns(stored, Order) == {**seen, "hold": "checking"}
        assert [_columns(line, OrderLine) for line in stored.lines] == lines
    assert [line["sku_id"] for line in lines] == [skus[1], skus[0]]  # as given, ids rising
    assert lines[0]["id"] < lines[1]["id"]


def test_a_row_without_every_column_is_refused() -> None:
    with transaction() as session, pytest.raises(AssertionError, match="every column"):
        as_loaded(session, OrderLine, {"id": 1, "order_id": 1})
