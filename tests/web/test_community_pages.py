"""Community buying's pages over HTTP: each role's page answers and its forms call the
services (the browser journey is tests/web/test_community_journey.py)."""

from sqlalchemy import select

from quanzi.community.models import Batch, BatchOrder, LeaderApplication, PickupPoint
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import make_user
from tests.web import community_data as cd
from tests.web.helpers import form_post, sign_in


def test_a_point_is_found_by_pinyin_initials_and_stays_chosen(client):
    given = cd.community()
    buyer = make_user(name="王五")
    sign_in(client, buyer.email or "")
    page = client.get("/community/points", params={"district": "西湖区", "q": "ygjy"})
    assert page.status_code == 200 and f'data-testid="point-{given.point_id}"' in page.text
    chosen = form_post(client, "/community/points", "/community/points/choose",
                       {"pickup_point_id": given.point_id, "next": "/community"})
    assert chosen.status_code == 303 and chosen.headers["location"] == "/community"
    near = client.get("/community/points", params={"lat": "30.28", "lng": "120.13"})
    assert 'data-testid="is-chosen"' in near.text and 'data-testid="distance"' in near.text
    assert "阳光家园便利店" in client.get("/community").text  # shown on the list


def test_a_chosen_point_must_be_live_and_next_stays_on_this_site(client):
    given = cd.community()
    sign_in(client, make_user().email or "")
    refused = form_post(client, "/community/points", "/community/points/choose",
                        {"pickup_point_id": 999_999})
    assert refused.status_code == 404
    away = form_post(client, "/community/points", "/community/points/choose",
                     {"pickup_point_id": given.point_id, "next": "//evil.example/"})
    assert away.headers["location"] == "/community"


def test_ordering_on_the_batch_page_opens_the_payment_and_the_order_shows_the_point(client):
    given = cd.community()
    batch_id = cd.batch(given)
    buyer = cd.chosen_buyer(given)
    sign_in(client, buyer.email or "")
    page = client.get(f"/community/batches/{batch_id}")
    assert 'data-testid="countdown"' in page.text and "立即下单" in page.text
    sku = given.skus[1]
    placed = form_post(client, f"/community/batches/{batch_id}",
                       f"/community/batches/{batch_id}/order", {f"qty_{sku}": "2", "key": "k1"})
    assert placed.status_code == 303 and "/sandbox/pay/" in placed.headers["location"]
    with read_session() as session:
        row = session.scalar(select(BatchOrder).where(BatchOrder.buyer_id == buyer.id))
        assert row is not None and row.pickup_point_id == given.point_id
        assert session.get_one(Order, row.order_id).total_fen == 5760
    unpaid = client.get(f"/orders/{row.order_id}").text
    assert 'data-testid="pickup-point"' in unpaid and 'data-testid="pickup-code"' not in unpaid
    assert client.get(f"/community/orders/{row.order_id}/qr.png").status_code == 404


def test_an_empty_order_is_refused_with_the_page_and_nothing_placed(client):
    given = cd.community()
    batch_id = cd.batch(given)
    buyer = cd.chosen_buyer(given)
    sign_in(client, buyer.email or "")
    refused = form_post(client, f"/community/batches/{batch_id}",
                        f"/community/batches/{batch_id}/order", {"key": "k2"})
    assert refused.status_code == 422 and "请至少选择一件商品" in refused.text
    with read_session() as session:
        assert session.scalar(select(BatchOrder).where(BatchOrder.buyer_id == buyer.id)) is None


def test_the_apply_form_shows_each_problem_under_its_field_and_keeps_what_was_typed(client):
    sign_in(client, make_user().email or "")
    refused = form_post(client, "/leader/apply", "/leader/apply",
                        {"name": "新村驿站", "province": "浙江省", "city": "",
                         "district": "西湖区", "community": "古荡新村", "address": "",
                         "lat": "30.2", "lng": ""})
    assert refused.status_code == 422
    assert 'data-testid="error-city"' in refused.text
    assert 'data-testid="error-address"' in refused.text
    assert 'value="新村驿站"' in refused.text
    with read_session() as session:
        assert session.scalar(select(PickupPoint).where(PickupPoint.name == "新村驿站")) is None


def test_an_operator_approves_an_application_and_the_leader_reaches_the_centre(client):
    given = cd.community()
    applicant = make_user(name="赵六")
    sign_in(client, applicant.email or "")
    assert client.get("/leader", follow_redirects=False).headers["location"] == "/leader/apply"
    made = form_post(client, "/leader/apply", "/leader/apply", {
        "name": "翠苑驿站", "province": "浙江省", "city": "杭州市", "district": "西湖区",
        "community": "翠苑一区", "address": "翠苑路 12 号"})
    assert made.status_code == 303
    with read_session() as session:
        application = session.scalar(select(LeaderApplication).where(
            LeaderApplication.user_id == applicant.id))
    assert application is not None and application.status == "pending"
    client.cookies.clear()
    sign_in(client, given.operator.email or "")
    decided = form_post(client, "/operator/leaders",
                        f"/operator/leaders/{application.id}/approve")
    assert decided.status_code == 303
    client.cookies.clear()
    sign_in(client, applicant.email or "")
    assert "翠苑驿站" in client.get("/leader").text


def test_the_console_refuses_a_rate_that_is_not_a_percentage_under_its_field(client):
    given = cd.community()
    sign_in(client, given.supplier.email or "")
    refused = form_post(client, "/supplier/batches", "/supplier/batches", {
        "title": "周五团", "opens_at": "2026-12-07T10:00", "cuts_off_at": "2026-12-08T22:00",
        "pickup_from": "2026-12-09T16:00", "rate_pct": "八", "sku_1": str(given.skus[0]),
        "price_1": "2.90", "stock_1": "100"})
    assert refused.status_code == 422 and 'data-testid="error-rate_pct"' in refused.text
    assert 'value="周五团"' in refused.text
    with read_session() as session:
        assert session.scalar(select(Batch).where(Batch.title == "周五团")) is None


def test_the_pick_list_and_the_dispatch_note_download_as_csv(client):
    given = cd.community()
    buyer = cd.chosen_buyer(given)
    cut, _ = cd.cut_and_dispatched(given, buyer.id)
    sign_in(client, given.supplier.email or "")
    page = client.get(f"/supplier/batches/{cut}/pick-list")
    assert page.status_code == 200 and f'data-testid="total-{given.skus[0]}"' in page.text
    rows = client.get(f"/supplier/batches/{cut}/pick-list.csv").text.splitlines()
    assert rows[1].split(",")[-1] == "2"  # 上海青 × 2 in all
    client.cookies.clear()
    sign_in(client, given.leader.email or "")
    note = client.get(f"/leader/batches/{cut}/note.csv").text.splitlines()
    assert len(note) == 2 and ",张*," in note[1]


def test_an_order_a_second_after_the_cut_off_is_refused_and_points_at_the_next_batch(client):
    from datetime import timedelta

    from quanzi.core import clock

    given = cd.community()
    late = cd.batch(given, hours=1)
    following = cd.batch(given, hours=30, title="后天达")
    buyer = cd.chosen_buyer(given)
    sign_in(client, buyer.email or "")
    page = client.get(f"/community/batches/{late}")
    clock.advance(timedelta(hours=1, seconds=1))
    refused = client.post(f"/community/batches/{late}/order", data={
        f"qty_{given.skus[0]}": "1", "key": "late",
        "csrf_token": page.text.split('name="csrf_token" value="')[1].split('"')[0]})
    assert refused.status_code == 409 and "这一期团购已截单" in refused.text
    assert f'href="/community/batches/{following}"' in refused.text
    with read_session() as session:
        assert session.scalar(select(BatchOrder).where(BatchOrder.buyer_id == buyer.id)) is None


def test_another_points_leader_is_refused_under_the_code_and_the_order_stays_paid(client):
    from quanzi.community import leaders

    given = cd.community()
    batch_id = cd.batch(given)
    buyer = cd.chosen_buyer(given)
    order_id = cd.paid_batch_order(given, buyer.id, batch_id)
    other = make_user(name="钱团长")
    applied = leaders.apply(user_id=other.id, point=cd.point_in("翠苑驿站", "翠苑一区"))
    leaders.approve(operator_id=given.operator.id, application_id=applied.id)
    with read_session() as session:
        code = session.get_one(BatchOrder, order_id).pickup_code
    sign_in(client, other.email or "")
    refused = form_post(client, "/leader", "/leader/pickups", {"code": code})
    assert refused.status_code == 403 and 'data-testid="verify-error"' in refused.text
    assert "这个订单不在你的自提点取货" in refused.text
    with read_session() as session:
        assert session.get_one(Order, order_id).status == "paid"


def test_the_buyers_pages_read_in_english(client):
    given = cd.community()
    batch_id = cd.batch(given)
    client.cookies.set("lang", "en")
    assert "Order today, collect tomorrow at your pickup point." in client.get("/community").text
    page = client.get(f"/community/batches/{batch_id}").text
    assert "Cut-off in" in page and "Sign in to choose a pickup point and order" in page
    assert "Use my location" in client.get("/community/points").text


def test_a_dispatched_pick_list_says_by_when_each_points_goods_must_arrive(client):
    from quanzi.accounts.identity import Identity
    from quanzi.community import pickups

    given, sent = _dispatched_as(client, "supplier")
    page = client.get(f"/supplier/batches/{sent}/pick-list").text
    assert f'data-testid="arrival-{given.point_id}"' in page
    assert "前仍未到货，订单将全额退款" in page
    client.get("/lang/en", follow_redirects=False)
    english = client.get(f"/supplier/batches/{sent}/pick-list").text
    assert "orders are refunded in full if the goods are not recorded by" in english
    pickups.arrive(leader=Identity(given.leader.id, ("consumer", "leader")), batch_id=sent)
    arrived = client.get(f"/supplier/batches/{sent}/pick-list").text
    assert "Arrived · " in arrived and "not recorded by" not in arrived


def test_the_leader_page_says_by_when_to_record_the_goods(client):
    _, sent = _dispatched_as(client, "leader")
    page = client.get(f"/leader/batches/{sent}").text
    assert 'data-testid="arrival-due"' in page and "前未确认到货，订单将全额退款" in page
    arrived = form_post(client, f"/leader/batches/{sent}", f"/leader/batches/{sent}/arrive")
    assert arrived.status_code == 303
    page = client.get(f"/leader/batches/{sent}").text
    assert 'data-testid="arrived"' in page and 'data-testid="arrival-due"' not in page


def _dispatched_as(client, role: str) -> tuple[cd.Community, int]:  # type: ignore[no-untyped-def]
    """A dispatched batch with a paid order at the community's point, the client signed in
    as its ``role`` (supplier or leader): (the community, the batch id)."""
    given = cd.community()
    _, sent = cd.cut_and_dispatched(given, cd.chosen_buyer(given).id)
    sign_in(client, getattr(given, role).email or "")
    return given, sent
