"""A batch from opening to collection, through the services: cut-off, pick list,
dispatch, arrival, pickup, the leader's commission settling after the return window."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups, queries, reactions
from quanzi.community.models import Batch, PickupAttempt
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, Forbidden, NotFound
from quanzi.orders import settlement
from quanzi.orders.models import Order
from quanzi.referral.models import Commission
from quanzi.referral.queries import my_commissions
from tests.community.helpers import (
    buyer,
    leader_point,
    open_batch,
    operator,
    order,
    paid_order,
    supplier_skus,
)


def _code(order_id: int) -> str:
    with read_session() as session:
        from quanzi.community.models import BatchOrder
        return session.get_one(BatchOrder, order_id).pickup_code


def _status(order_id: int) -> str:
    with read_session() as session:
        return session.get_one(Order, order_id).status


def _batch_status(batch_id: int) -> str:
    with read_session() as session:
        return session.get_one(Batch, batch_id).status


def test_a_batch_goes_from_open_to_closed_and_the_leader_is_paid_after_the_window():
    ops = operator()
    leader_id, _, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], price_fen=1000, rate_bps=1000, ops=ops)
    first, second = buyer(), buyer()
    paid = paid_order(first, batch_id, point_id, [(sku, 3)])
    unpaid = order(second, batch_id, point_id, [(sku, 2)])

    clock.advance(timedelta(hours=2, seconds=1))
    assert cutoff.cut_off_due() == 1
    assert _status(unpaid.id) == "cancelled" and _status(paid.id) == "paid"
    with read_session() as session:
        pick = queries.pick_list(session, session.get_one(Batch, batch_id))
    assert [(i.sku_id, i.quantity) for i in pick.items] == [(sku, 3)]

    batches.dispatch(actor=ops, batch_id=batch_id)
    leader = Identity(leader_id, ("consumer", "leader"))
    with pytest.raises(Conflict) as early:
        pickups.verify(leader=leader, code=_code(paid.id))
    assert early.value.code == "not_arrived"
    pickups.arrive(leader=leader, batch_id=batch_id)
    assert _batch_status(batch_id) == "arrived"
    done = pickups.verify(leader=leader, code=_code(paid.id))
    assert done.status == "completed"
    assert reactions.close_collected() == 1 and _batch_status(batch_id) == "closed"

    with read_session() as session:
        rows = my_commissions(session, leader_id).items
    assert [(r.kind, r.amount_fen, r.status) for r in rows] == [("leader", 300, "pending")]
    clock.advance(timedelta(days=7, seconds=1))
    assert settlement.settle_due() == 1
    with read_session() as session:
        assert session.scalar(select(Commission.status).where(
            Commission.order_id == paid.id)) == "settled"
        outcomes = list(session.scalars(select(PickupAttempt.outcome).order_by(PickupAttempt.id)))
    assert outcomes == ["not_arrived", "completed"]


def test_a_verifier_of_another_point_is_refused_and_the_attempt_is_logged():
    ops = operator()
    _, _, point_a = leader_point("阳光家园", ops=ops)
    leader_b, _, _ = leader_point("翠苑一区", ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], ops=ops)
    paid = paid_order(buyer(), batch_id, point_a, [(sku, 1)])
    with pytest.raises(Forbidden) as refused:
        pickups.verify(leader=Identity(leader_b, ("leader",)), code=_code(paid.id))
    assert refused.value.code == "other_point"
    with pytest.raises(NotFound) as unknown:
        pickups.verify(leader=Identity(leader_b, ("leader",)), code="0000 0000 0000")
    assert unknown.value.code == "unknown_code"
    assert _status(paid.id) == "paid"
    with read_session() as session:
        logged = [(a.verifier_id, a.order_id, a.outcome) for a in session.scalars(
            select(PickupAttempt).order_by(PickupAttempt.id))]
    assert logged == [(leader_b, paid.id, "other_point"), (leader_b, None, "unknown_code")]
