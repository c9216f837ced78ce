"""The supplier's batch console lists that supplier's batches, chosen by the query itself
(not picked out of the newest batches of everyone), those not closed first, newest first;
the operators' console lists every supplier's."""

import re
from datetime import timedelta

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups, queries
from quanzi.community.models import BatchOrder
from quanzi.community.reactions import close_collected
from quanzi.community.schemas import BatchCreate
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.web.community import console
from tests.web import community_data as cd
from tests.web.helpers import sign_in


def _batch(operator_id: int, sku_id: int, title: str, hours: float = 24) -> int:
    now = clock.now()
    return batches.create_batch(actor=Identity(operator_id, ("operator",)), data=BatchCreate(
        title=title, opens_at=now - timedelta(minutes=1), cuts_off_at=now + timedelta(hours=hours),
        pickup_from=now + timedelta(hours=hours + 12), leader_rate_bps=500,
        items=[{"sku_id": sku_id, "price_fen": 300, "stock": 10}])).id


def _listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="console-batch-(\d+)"', html)]


def test_a_supplier_sees_only_its_batches_however_many_others_have(client, monkeypatch):
    given = cd.community()
    mine = [_batch(given.operator.id, given.skus[0], f"我的团{n}") for n in range(2)]
    _, _, other_skus = cd.groceries("果园二号")
    others = [_batch(given.operator.id, other_skus[0], f"别家团{n}", hours=1) for n in range(3)]
    monkeypatch.setattr(console, "BATCH_LIMIT", 2)  # the 2 newest of all are the others'
    sign_in(client, given.supplier.email or "")
    assert _listed(client.get("/supplier/batches").text) == mine[::-1]
    sign_in(client, given.operator.email or "")
    assert _listed(client.get("/operator/batches").text) == others[::-1][:2]


def test_closed_batches_come_last_and_the_rest_newest_first():
    given = cd.community()
    ops = Identity(given.operator.id, ("operator",))
    done = _batch(given.operator.id, given.skus[0], "已结束的团", hours=1)
    order_id = cd.paid_batch_order(given, cd.chosen_buyer(given).id, done)
    clock.advance(timedelta(hours=1, seconds=1))
    cutoff.cut_off_due()
    batches.dispatch(actor=ops, batch_id=done)
    leader = Identity(given.leader.id, ("leader",))
    pickups.arrive(leader=leader, batch_id=done)
    with read_session() as session:
        code = session.get_one(BatchOrder, order_id).pickup_code
    pickups.verify(leader=leader, code=code)
    assert close_collected() == 1
    older, newer = (_batch(given.operator.id, given.skus[1], t) for t in ("周一团", "周二团"))
    with read_session() as session:
        listed = queries.seller_batches(session, given.supplier_id)
        assert [(b.id, b.status) for b in listed] == [
            (newer, "open"), (older, "open"), (done, "closed")]
        assert queries.seller_batches(session, given.supplier_id + 1000) == []
