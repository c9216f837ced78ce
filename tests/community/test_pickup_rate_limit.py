"""Pickup codes are not found by trying: a leader's refused verifications count against
``QUANZI_RATE_LIMIT_PICKUP``; past it every attempt of that leader is a 429, the right
code too, and changes nothing, while other leaders and verified codes are not held back.
On Redis in the run with Redis (every process counts together), else in memory."""

from datetime import timedelta

from sqlalchemy import select

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups
from quanzi.community.models import BatchOrder, PickupAttempt
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.community.helpers import (
    buyer,
    leader_point,
    open_batch,
    operator,
    paid_order,
    supplier_skus,
)
from tests.factories import make_user
from tests.web import community_data as cd
from tests.web.helpers import form_post, sign_in

PICKUPS = "/api/v1/leader/pickups"
WRONG = "000000000000"


def _arrived(orders: int = 1) -> tuple[dict[str, str], int, list[tuple[int, str]]]:
    """A leader's point with ``orders`` paid orders whose goods arrived: (the leader's
    headers, the leader's id, [(order id, code)])."""
    ops = operator()
    leader_id, headers, point_id = leader_point(ops=ops)
    _, (sku,) = supplier_skus(1500)
    batch_id = open_batch([sku], ops=ops)
    placed = [paid_order(buyer(), batch_id, point_id, [(sku, 1)]).id for _ in range(orders)]
    clock.advance(timedelta(hours=2))
    cutoff.cut_off_due()
    batches.dispatch(actor=ops, batch_id=batch_id)
    pickups.arrive(leader=Identity(leader_id, ("consumer", "leader")), batch_id=batch_id)
    with read_session() as session:
        codes = [(order_id, session.get_one(BatchOrder, order_id).pickup_code)
                 for order_id in placed]
    return headers, leader_id, codes


def _status(order_id: int) -> str:
    with read_session() as session:
        return session.get_one(Order, order_id).status


def _outcomes(leader_id: int) -> list[str]:
    with read_session() as session:
        return list(session.scalars(select(PickupAttempt.outcome).where(
            PickupAttempt.verifier_id == leader_id).order_by(PickupAttempt.id)))


def test_past_the_limit_of_refused_codes_even_the_right_one_is_429(client, rate_limits_on):
    rate_limits_on(pickup="3/minute")
    headers, leader_id, [(order_id, code)] = _arrived()
    for _ in range(3):
        wrong = client.post(PICKUPS, json={"code": WRONG}, headers=headers)
        assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "unknown_code"
    limited = client.post(PICKUPS, json={"code": code}, headers=headers)
    assert limited.status_code == 429, limited.text
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["retry-after"]) <= 60
    assert _status(order_id) == "paid"
    assert _outcomes(leader_id) == ["unknown_code"] * 3 + ["rate_limited"]


def test_each_leader_counts_alone(client, rate_limits_on):
    rate_limits_on(pickup="2/minute")
    guesser, _, _ = _arrived()
    headers, _, [(order_id, code)] = _arrived()
    for _ in range(2):
        assert client.post(PICKUPS, json={"code": WRONG}, headers=guesser).status_code == 404
    assert client.post(PICKUPS, json={"code": WRONG}, headers=guesser).status_code == 429
    done = client.post(PICKUPS, json={"code": code}, headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert _status(order_id) == "completed"


def test_codes_verified_never_count(client, rate_limits_on):
    rate_limits_on(pickup="2/minute")
    headers, _, orders = _arrived(orders=4)
    for order_id, code in orders:
        done = client.post(PICKUPS, json={"code": code}, headers=headers)
        assert done.status_code == 200, done.text
        assert _status(order_id) == "completed"
    again = client.post(PICKUPS, json={"code": orders[0][1]}, headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_picked_up"
    assert client.post(PICKUPS, json={"code": WRONG}, headers=headers).status_code == 404
    assert client.post(PICKUPS, json={"code": WRONG}, headers=headers).status_code == 429


def test_the_leaders_page_says_so_under_the_code_field(client, rate_limits_on):
    rate_limits_on(pickup="1/minute")
    given = cd.community()
    batch_id = cd.batch(given)
    order_id = cd.paid_batch_order(given, make_user().id, batch_id)
    sign_in(client, given.leader.email or "")
    assert form_post(client, "/leader", "/leader/pickups", {"code": WRONG}).status_code == 404
    with read_session() as session:
        code = session.get_one(BatchOrder, order_id).pickup_code
    refused = form_post(client, "/leader", "/leader/pickups", {"code": code})
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
    field = refused.text.split('id="code"')[1].split("</p>")[0]
    assert 'aria-describedby="code-error"' in field and 'data-testid="verify-error"' in field
    assert "操作太频繁，请" in field and "秒后再试" in field
    client.cookies.set("lang", "en")
    english = form_post(client, "/leader", "/leader/pickups", {"code": code})
    assert english.status_code == 429 and "Too many attempts" in english.text
    assert _status(order_id) == "paid"
