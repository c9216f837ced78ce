"""A paid batch order reads as what it is wherever its buyer sees it: 待取货 until its
goods are at the point, 待取货·已到货 once they are, 已取货 once collected, in 我的订单 and
on the order page's badge and timeline (下单 → 付款 → 截单 → 到货自提点 → 已取货), never
待发货, 发货, 送达 or 确认收货."""

import re
from datetime import timedelta

from quanzi.accounts.identity import Identity
from quanzi.community import batches, cutoff, pickups
from quanzi.community.models import BatchOrder
from quanzi.core import clock
from quanzi.core.db import read_session
from tests.factories import make_user
from tests.web import community_data as cd
from tests.web import order_data
from tests.web.helpers import sign_in

SHIPPING_WORDS = ("待发货", "发货", "送达", "确认收货")


def _steps(html: str) -> list[tuple[str, bool]]:
    """(label, done) of each step of the page's timeline."""
    found = re.findall(r'<li class="step( step--done)?">\s*<span class="step-label">([^<]+)',
                       html)
    return [(label, bool(done)) for done, label in found]


def _badge(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">([^<]+)</span>', html)
    assert found is not None
    return found.group(1)


def _shown(client, order_id: int) -> tuple[str, str, list[tuple[str, bool]]]:
    """The order's badge in 我的订单, its badge on its page, and its page's timeline."""
    listed = client.get("/orders").text
    page = client.get(f"/orders/{order_id}").text
    for word in SHIPPING_WORDS:
        assert word not in _badge(page, "order-status")
        assert f'class="step-label">{word}<' not in page
    assert "确认收货" not in page
    return _badge(listed, f"order-status-{order_id}"), _badge(page, "order-status"), \
        _steps(page)


def test_a_batch_order_reads_to_collect_then_arrived_then_collected(client):
    given = cd.community()
    batch_id = cd.batch(given, hours=1)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    sign_in(client, buyer.email or "")

    listed, badge, steps = _shown(client, order_id)
    assert (listed, badge) == ("待取货", "待取货")
    assert steps == [("下单", True), ("付款", True), ("截单", False), ("到货自提点", False),
                     ("已取货", False)]

    clock.advance(timedelta(hours=1, seconds=1))
    assert cutoff.cut_off_due() == 1
    batches.dispatch(actor=Identity(given.operator.id, ("operator",)), batch_id=batch_id)
    listed, badge, steps = _shown(client, order_id)
    assert (listed, badge) == ("待取货", "待取货")  # dispatched is not 已发货 to the buyer
    assert [done for _, done in steps] == [True, True, True, False, False]

    leader = Identity(given.leader.id, ("leader",))
    pickups.arrive(leader=leader, batch_id=batch_id)
    listed, badge, steps = _shown(client, order_id)
    assert (listed, badge) == ("待取货·已到货", "待取货·已到货")
    assert [done for _, done in steps] == [True, True, True, True, False]

    with read_session() as session:
        code = session.get_one(BatchOrder, order_id).pickup_code
    pickups.verify(leader=leader, code=code)
    listed, badge, steps = _shown(client, order_id)
    assert (listed, badge) == ("已取货", "已取货")
    assert steps == [("下单", True), ("付款", True), ("截单", True), ("到货自提点", True),
                     ("已取货", True)]


def test_the_steps_carry_the_times_of_the_cut_off_and_the_arrival(client):
    given = cd.community()
    batch_id = cd.batch(given, hours=1)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    clock.advance(timedelta(hours=1, seconds=1))
    cutoff.cut_off_due()
    batches.dispatch(actor=Identity(given.operator.id, ("operator",)), batch_id=batch_id)
    clock.advance(timedelta(hours=20))
    arrived = pickups.arrive(leader=Identity(given.leader.id, ("leader",)), batch_id=batch_id)
    sign_in(client, buyer.email or "")
    page = client.get(f"/orders/{order_id}").text
    times = re.findall(r'<span class="step-at">([^<]+)</span>', page)
    assert len(times) == 5 and times[2] != times[3]
    local = arrived.arrived_at + timedelta(hours=8)  # the pages show Shanghai time
    assert times[3] == f"{local:%Y-%m-%d %H:%M}"


def test_the_staff_see_the_pickup_steps_then_settlement_and_a_pickup_badge(client):
    given = cd.community()
    batch_id = cd.batch(given)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    sign_in(client, given.operator.email or "")
    page = client.get(f"/orders/{order_id}").text
    assert [label for label, _ in _steps(page)] == [
        "下单", "付款", "截单", "到货自提点", "已取货", "结算"]
    rows = client.get("/operator/orders").text
    row = rows.split(f'data-testid="order-{order_id}"')[1].split("</li>")[0]
    assert "待取货" in row and "拼团中" not in row and "待发货" not in row


def test_an_ordinary_order_keeps_its_shipping_words(client):
    at = order_data.shop("茶园")
    buyer = make_user(name="小李")
    order_id = order_data.order(at, "paid", buyer=buyer)
    sign_in(client, buyer.email)
    page = client.get(f"/orders/{order_id}").text
    assert _badge(page, "order-status") == "待发货"
    assert [label for label, _ in _steps(page)] == ["下单", "付款", "发货", "送达", "确认收货"]


def test_the_states_read_in_english(client):
    given = cd.community()
    batch_id = cd.batch(given, hours=1)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    clock.advance(timedelta(hours=1, seconds=1))
    cutoff.cut_off_due()
    batches.dispatch(actor=Identity(given.operator.id, ("operator",)), batch_id=batch_id)
    pickups.arrive(leader=Identity(given.leader.id, ("leader",)), batch_id=batch_id)
    sign_in(client, buyer.email or "")
    client.cookies.set("lang", "en")
    page = client.get(f"/orders/{order_id}").text
    assert _badge(page, "order-status") == "To collect · arrived"
    assert [label for label, _ in _steps(page)] == [
        "Ordered", "Paid", "Cut-off", "At the pickup point", "Collected"]


def test_an_order_completed_uncollected_says_so_and_still_shows_its_code(client):
    from quanzi.community.uncollected import complete_uncollected

    given = cd.community()
    batch_id = cd.batch(given, hours=1)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    clock.advance(timedelta(hours=1, seconds=1))
    cutoff.cut_off_due()
    batches.dispatch(actor=Identity(given.operator.id, ("operator",)), batch_id=batch_id)
    pickups.arrive(leader=Identity(given.leader.id, ("leader",)), batch_id=batch_id)
    clock.advance(timedelta(hours=12 + 7 * 24, seconds=1))  # pickup_from + the window
    assert complete_uncollected() == 1
    sign_in(client, buyer.email or "")
    listed, badge, steps = _shown(client, order_id)
    assert (listed, badge) == ("已完成·未取货", "已完成·未取货")
    assert steps == [("下单", True), ("付款", True), ("截单", True), ("到货自提点", True),
                     ("超时自动完成", True), ("已取货", False)]
    assert 'data-testid="pickup-code"' in client.get(f"/orders/{order_id}").text
