"""Buying, joining and helping through the campaign pages' forms (TestClient): each buy
goes to the sandbox payment page, each refusal is a message on the campaign page and
changes nothing."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.campaigns import buying
from quanzi.campaigns.models import BargainRun, FlashReservation, GroupMember, TieredParticipant
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import ADDRESS, make_user, snapshot
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import csrf_of, form_post, sign_in


def _person(app) -> tuple[TestClient, int]:  # type: ignore[no-untyped-def]
    """A new signed-in consumer with their own cookies: (client, user id)."""
    user = make_user()
    browser = TestClient(app)
    sign_in(browser, user.email or "")
    return browser, user.id


def _submit(browser: TestClient, page: str, action: str, **extra: object):  # type: ignore[no-untyped-def]
    html = browser.get(page).text
    key = html.split('name="key" value="', 1)[1].split('"', 1)[0] if 'name="key"' in html else ""
    return browser.post(action, data={**ADDRESS, "key": key, "csrf_token": csrf_of(html),
                                      **extra}, follow_redirects=False)


def _pay(browser: TestClient, response) -> str:  # type: ignore[no-untyped-def]
    """Complete the sandbox payment the response redirected to; the order's page."""
    assert response.status_code == 303, response.text
    pay_page = response.headers["location"]
    assert pay_page.startswith("/sandbox/pay/")
    paid = form_post(browser, pay_page, pay_page)
    assert paid.status_code == 303
    return str(paid.headers["location"])


def _csrf(browser: TestClient) -> str:
    """The session's CSRF token (for posting to a page whose form is not shown)."""
    html = browser.get("/cart").text
    return html.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]


def _orders(**where: object) -> list[Order]:
    with read_session() as session:
        return list(session.query(Order).filter_by(**where).order_by(Order.id))


def test_flash_buy_pays_and_refusals_show_on_the_page(app):
    sale = data.flash(data.goods(), stock=2, limit=1)
    first, first_id = _person(app)
    order_page = _pay(first, _submit(first, f"/flash/{sale}", f"/flash/{sale}/buy"))
    assert "待发货" in first.get(order_page).text
    (order,) = _orders(buyer_id=first_id)
    assert (order.status, order.total_fen, order.kind) == ("paid", 1990, "flash_sale")
    again = _submit(first, f"/flash/{sale}", f"/flash/{sale}/buy", key="another")
    assert again.status_code == 409 and "已达到每人限购/限次" in again.text
    assert f'/flash/{sale}" data-testid="page-link"' in again.text  # the page, not /buy
    second, _ = _person(app)
    _pay(second, _submit(second, f"/flash/{sale}", f"/flash/{sale}/buy"))
    third, third_id = _person(app)
    page = third.get(f"/flash/{sale}").text
    assert 'data-testid="sold-out"' in page and 'data-testid="stock-left">0<' in page
    refused = third.post(f"/flash/{sale}/buy", data={**ADDRESS, "csrf_token": _csrf(third)},
                         follow_redirects=False)
    assert refused.status_code == 409 and "已抢光" in refused.text
    assert _orders(buyer_id=third_id) == []
    with read_session() as session:
        assert session.query(FlashReservation).count() == 2


def test_flash_before_its_start_and_after_its_end(app):
    given = data.goods()
    sale = data.flash(given, starts_in=timedelta(minutes=30))
    buyer, buyer_id = _person(app)
    page = buyer.get(f"/flash/{sale}").text
    assert "即将开始" in page and "距开始" in page
    refused = buyer.post(f"/flash/{sale}/buy", data={**ADDRESS, "csrf_token": _csrf(buyer)},
                         follow_redirects=False)
    assert refused.status_code == 409 and "活动尚未开始" in refused.text
    clock.advance(timedelta(hours=3))
    ended = buyer.post(f"/flash/{sale}/buy", data={**ADDRESS, "csrf_token": _csrf(buyer)},
                       follow_redirects=False)
    assert ended.status_code == 409 and "活动已结束" in ended.text
    assert _orders(buyer_id=buyer_id) == []


def test_an_incomplete_or_foreign_address_is_shown_and_creates_nothing(app):
    sale = data.flash(data.goods())
    buyer, buyer_id = _person(app)
    refused = _submit(buyer, f"/flash/{sale}", f"/flash/{sale}/buy", phone="123")
    assert refused.status_code == 422 and 'data-testid="refusal"' in refused.text
    foreign = accounts.add_address(make_user().id, AddressIn.model_validate(ADDRESS))
    refused = _submit(buyer, f"/flash/{sale}", f"/flash/{sale}/buy", address_id=foreign.id)
    assert refused.status_code == 422 and "请选择有效的收货地址" in refused.text
    assert _orders(buyer_id=buyer_id) == []


def test_open_and_join_a_group_through_the_pages(app):
    deal = data.group_buy(data.goods(), size=2)
    leader, leader_id = _person(app)
    landing = _pay(leader, _submit(leader, f"/group-buys/{deal}", f"/group-buys/{deal}/open"))
    assert landing == "/groups/1?paid=1#invite"  # the group's page, to invite friends
    assert 'href="/groups/1"' in leader.get("/orders/1").text  # 查看活动
    assert "你已参团并付款" in leader.get("/groups/1").text
    friend, friend_id = _person(app)
    assert "还差 1 人" in friend.get(f"/group-buys/{deal}").text
    _pay(friend, _submit(friend, "/groups/1", "/groups/1/join"))
    page = friend.get("/groups/1").text
    assert "已成团" in page
    assert [o.status for o in _orders(kind="group_buy")] == ["paid", "paid"]
    late, late_id = _person(app)
    refused = late.post("/groups/1/join", data={**ADDRESS, "csrf_token": _csrf(late)},
                        follow_redirects=False)
    assert refused.status_code == 409 and "已成团" in refused.text
    assert _orders(buyer_id=late_id) == [] and {leader_id, friend_id} == {
        o.buyer_id for o in _orders(kind="group_buy")}


def test_a_member_joining_again_is_told_so(app):
    deal = data.group_buy(data.goods(), size=3)
    leader, _leader_id = _person(app)
    _submit(leader, f"/group-buys/{deal}", f"/group-buys/{deal}/open")
    again = leader.post("/groups/1/join", data={**ADDRESS, "csrf_token": _csrf(leader)},
                        follow_redirects=False)
    assert again.status_code == 409 and "你已在该团中" in again.text
    with read_session() as session:
        assert session.query(GroupMember).count() == 1


def test_bargain_start_help_and_buy_through_the_pages(app):
    bargain = data.bargain(data.goods(), helps=2)
    owner, owner_id = _person(app)
    started = _submit(owner, f"/bargains/{bargain}", f"/bargains/{bargain}/start")
    assert started.status_code == 303 and started.headers["location"] == "/bargain-runs/1"
    restarted = _submit(owner, f"/bargains/{bargain}", f"/bargains/{bargain}/start")
    assert restarted.headers["location"] == "/bargain-runs/1"  # the live run, not a new one
    own_help = owner.post("/bargain-runs/1/help", data={"csrf_token": _csrf(owner)})
    assert own_help.status_code == 403 and "不能给自己砍价" in own_help.text
    friend, _ = _person(app)
    helped = form_post(friend, "/bargain-runs/1", "/bargain-runs/1/help")
    assert helped.status_code == 303
    with read_session() as session:
        run = session.get_one(BargainRun, 1)
        price, cuts = run.current_price_fen, run.cuts_fen
    assert price == 5000 - cuts[0] - cuts[1]  # the starter's own cut, then the friend's
    page = friend.get("/bargain-runs/1").text
    assert "你已帮砍" in page and "还需 1 位好友帮砍" in page
    twice = friend.post("/bargain-runs/1/help", data={"csrf_token": _csrf(friend)})
    assert twice.status_code == 409 and "你已经帮砍过了" in twice.text
    _pay(owner, _submit(owner, "/bargain-runs/1", "/bargain-runs/1/buy"))
    (order,) = _orders(buyer_id=owner_id)
    assert (order.status, order.total_fen, order.kind) == ("paid", price, "bargain")
    with read_session() as session:
        assert session.query(BargainRun).count() == 1


def test_tiered_join_charges_the_tier_reached_and_one_place_each(app):
    deal = data.tiered(data.goods())
    buyer, buyer_id = _person(app)
    saved = accounts.add_address(buyer_id, AddressIn.model_validate({**ADDRESS, "name": "李四"}))
    assert f'value="{saved.id}" checked' in buyer.get(f"/tiered/{deal}").text
    _pay(buyer, _submit(buyer, f"/tiered/{deal}", f"/tiered/{deal}/join", quantity="2",
                        address_id=saved.id))
    (order,) = _orders(buyer_id=buyer_id)
    assert (order.status, order.total_fen, order.address["name"]) == ("paid", 2 * 4500, "李四")
    page = buyer.get(f"/tiered/{deal}").text
    assert "你已参团" in page and "再差 2 人降到 ¥39.00" in page and "已有 1 人参团" in page
    refused = buyer.post(f"/tiered/{deal}/join", data={**ADDRESS, "csrf_token": _csrf(buyer)})
    assert refused.status_code == 409
    with read_session() as session:
        assert session.query(TieredParticipant).count() == 1


@pytest.mark.parametrize("rule", ["forfeit_deposit", "refund_deposit"])
def test_presale_deposit_then_balance_from_the_order_page(app, rule):
    presale = data.presale(data.goods(), rule=rule)
    buyer, buyer_id = _person(app)
    page = buyer.get(f"/presales/{presale}").text
    shown = "定金不退" if rule == "forfeit_deposit" else "定金原路退回"
    assert shown in page and "¥10.00" in page
    unticked = _submit(buyer, f"/presales/{presale}", f"/presales/{presale}/order")
    assert unticked.status_code == 422 and "请先阅读并确认尾款规则" in unticked.text
    assert _orders(buyer_id=buyer_id) == []
    deposit = _submit(buyer, f"/presales/{presale}", f"/presales/{presale}/order", rule_ok="1")
    assert "¥10.00" in buyer.get(deposit.headers["location"]).text
    order_page = _pay(buyer, deposit)
    (order,) = _orders(buyer_id=buyer_id)
    assert (order.status, order.deposit_fen, order.total_fen) == ("deposit_paid", 1000, 2500)
    waiting = buyer.get(order_page).text
    assert "待付尾款" in waiting and 'data-testid="balance-wait"' in waiting
    assert 'data-testid="pay-balance"' not in waiting
    clock.advance(timedelta(days=2, hours=1))
    open_page = buyer.get(order_page).text
    assert 'data-testid="pay-balance"' in open_page and "支付尾款 ¥15.00" in open_page
    balance = form_post(buyer, order_page, f"{order_page}/pay")
    assert "¥15.00" in buyer.get(balance.headers["location"]).text
    _pay(buyer, balance)
    (order,) = _orders(buyer_id=buyer_id)
    assert order.status == "paid"


def test_refusals_in_english(app):
    sale = data.flash(data.goods(), starts_in=timedelta(minutes=30))
    buyer, _ = _person(app)
    buyer.cookies.set("lang", "en")
    token = _csrf(buyer)
    before = snapshot()
    refused = buyer.post(f"/flash/{sale}/buy", data={**ADDRESS, "csrf_token": token})
    assert refused.status_code == 409 and "Not started yet" in refused.text
    assert snapshot() == before


def test_a_group_that_fills_with_others_refuses_a_late_open_seat(app):
    deal = data.group_buy(data.goods(), size=2)
    leader, friend = make_user(), make_user()
    seat = buying.open_group(group_buy_id=deal, user_id=leader.id, address=ADDRESS,
                             share_code=None, idempotency_key="a")
    buying.join_group(group_id=seat.group_id, user_id=friend.id, address=ADDRESS,
                      share_code=None, idempotency_key="b")
    late, late_id = _person(app)
    page = late.get(f"/groups/{seat.group_id}").text
    assert "已满员，等待付款" in page and 'data-testid="join-group"' not in page
    refused = late.post(f"/groups/{seat.group_id}/join",
                        data={**ADDRESS, "csrf_token": _csrf(late)})
    assert refused.status_code == 409 and "该团已满员" in refused.text
    assert _orders(buyer_id=late_id) == []
