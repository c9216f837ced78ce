"""The typing contract of ``run_once`` (core/idempotency.py), on its pure parts: an answer
is stored as its JSON (``stored_form``) and a replay reads it back as the same model
(``from_stored``), equal to the first answer and with the same JSON — also for rows
stored before the answers were typed."""

import inspect
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from quanzi.campaigns.buy_schemas import SeatOut
from quanzi.core.idempotency import from_stored, run_once, stored_form
from quanzi.ledger.schemas import PayoutOut
from quanzi.orders.schemas import OrderLineOut, OrderOut, RefundOut

AT = datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=UTC)


def _order(**changes: object) -> OrderOut:
    line = OrderLineOut(id=11, sku_id=3, product_id=2, title="赣南脐橙", spec="5kg", quantity=2,
                        price_fen=3990, refunded_quantity=0, refunded_fen=0)
    fields: dict[str, object] = dict(
        id=7, status="pending_payment", buyer_id=4, supplier_id=1, kind="flash_sale",
        campaign_ref="flash:2", total_fen=7980, refunded_fen=0, lines=[line],
        address={"name": "王小明", "phone": "13800000000", "line1": "朝阳区 1 号"},
        attribution={"promoter_id": 9, "share_code": "abcdEFGH12", "policy": "last_click"},
        carrier=None, tracking_no=None, created_at=AT, pay_deadline=AT + timedelta(minutes=5),
        paid_at=None, shipped_at=None, delivered_at=None, completed_at=None,
        cancelled_at=None, settled_at=None)
    return OrderOut.model_validate(fields | changes)


# An answer as ``POST /orders`` stored it before the answers were typed: the dict of
# ``order_out(order).model_dump(mode="json")``, read back from the JSON column.
STORED_BEFORE = {
    "id": 7, "status": "paid", "buyer_id": 4, "supplier_id": 1, "kind": "normal",
    "campaign_ref": None, "total_fen": 0, "deposit_fen": None, "balance_from": None,
    "refunded_fen": 0, "address": {"name": "王小明"}, "attribution": None,
    "lines": [{"id": 1, "sku_id": 3, "product_id": 2, "title": "试用装", "spec": "1份",
               "quantity": 1, "price_fen": 0, "refunded_quantity": 0, "refunded_fen": 0}],
    "carrier": None, "tracking_no": None, "created_at": "2025-06-18T12:00:00Z",
    "pay_deadline": "2025-06-18T12:30:00.000001Z", "paid_at": "2025-06-18T12:00:00Z",
    "shipped_at": None, "delivered_at": None, "completed_at": None, "cancelled_at": None,
    "settled_at": None}


def test_the_stored_form_is_the_json_the_client_was_sent():
    order = _order()
    stored = stored_form(order)
    assert stored == json.loads(order.model_dump_json())
    assert stored["created_at"] == "2026-12-07T08:30:15.123456Z"
    assert stored["lines"][0]["title"] == "赣南脐橙"


@pytest.mark.parametrize("answer", [
    _order(),
    _order(attribution=None, deposit_fen=1000, balance_from=AT + timedelta(days=2)),
    SeatOut(group_id=5, order=_order(kind="group_buy", campaign_ref="group:5")),
    RefundOut(id=3, order_id=7, status="refunded", amount_fen=3990, reason="多买了",
              lines=[{"line_id": 11, "quantity": 1, "amount_fen": 3990}], decision_note=None,
              created_at=AT, decided_at=AT),
    PayoutOut(id=2, kind="withdrawal", account="wallet:9", supplier_id=None, amount_fen=5000,
              status="requested", note=None, created_at=AT, decided_at=None),
], ids=["order", "presale order", "seat", "refund", "withdrawal"])
def test_a_replay_reads_back_an_equal_answer_of_the_same_type(answer: BaseModel):
    again = from_stored(type(answer), stored_form(answer))
    assert type(again) is type(answer)
    assert again == answer
    assert stored_form(again) == stored_form(answer)


def test_a_row_stored_before_the_answers_were_typed_replays_with_the_same_json():
    order = from_stored(OrderOut, STORED_BEFORE)
    assert (order.id, order.status, order.lines[0].price_fen) == (7, "paid", 0)
    assert order.paid_at == datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
    # fields added to the answer since (``hold``, a batch order's pickup) read as defaults
    assert stored_form(order) == {**STORED_BEFORE, "hold": None, "pickup_point_id": None,
                                  "pickup_code": None}


def test_a_stored_answer_of_another_shape_is_refused_not_passed_on():
    with pytest.raises(ValidationError):
        from_stored(SeatOut, STORED_BEFORE)  # an order where a seat was expected
    with pytest.raises(ValidationError):
        from_stored(OrderOut, {k: v for k, v in STORED_BEFORE.items() if k != "lines"})


@given(total=st.integers(0, 10**10), quantity=st.integers(1, 99),
       at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                       timezones=st.just(UTC)),
       title=st.text(max_size=20), ref=st.none() | st.text(max_size=12))
def test_any_order_survives_the_round_trip(total, quantity, at, title, ref):
    order = _order(total_fen=total, created_at=at, campaign_ref=ref,
                   lines=[OrderLineOut(id=1, sku_id=1, product_id=1, title=title, spec="",
                                       quantity=quantity, price_fen=total,
                                       refunded_quantity=0, refunded_fen=0)])
    assert from_stored(OrderOut, stored_form(order)) == order


def test_run_once_must_be_told_the_type_of_its_answer():
    answer = inspect.signature(run_once).parameters["answer"]
    assert answer.kind is inspect.Parameter.KEYWORD_ONLY
    assert answer.default is inspect.Parameter.empty
