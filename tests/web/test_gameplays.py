"""The gameplays in a real browser, one context per person: a group of three completed
through its shared link, a bargain helped by two friends and bought by its owner, a
flash sale bought until sold out, a promoter's share of a group."""

import re

import pytest
from sqlalchemy import func

from quanzi.campaigns.models import BargainRun, FlashReservation, Group
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import PASSWORD, make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.conftest import Visitor
from tests.web.data import world

pytestmark = pytest.mark.browser


PEOPLE: list[Visitor] = []


def _person(visitor, name: str) -> tuple[Visitor, int]:  # type: ignore[no-untyped-def]
    """A signed-in consumer in their own browser context (console errors checked at the end)."""
    user = make_user(name=name)
    person = visitor()
    person.sign_in(user.email or "", PASSWORD)
    PEOPLE.append(person)
    return person, user.id


@pytest.fixture(autouse=True)
def no_console_errors():  # type: ignore[no-untyped-def]
    PEOPLE.clear()
    yield
    errors = [e for person in PEOPLE for e in person.errors]
    PEOPLE.clear()
    assert errors == []


def _fill_address(person: Visitor) -> None:
    page = person.page
    main = page.text_content("main") or ""
    assert page.locator("input[name=name]").count() == 1, (page.url, main)
    page.fill("input[name=name]", "张三")
    page.fill("input[name=phone]", "13800138000")
    page.fill("input[name=region]", "上海市 浦东新区")
    page.fill("input[name=detail]", "世纪大道 100 号")


def _submit_and_pay(person: Visitor, button: str, status: str = "待发货") -> str:
    """Press the page's buy button (on a phone, its twin in the buy bar when the page has
    one), pay on the sandbox page; the paid amount. The order page then reads ``status``
    (a 拼团 order: 拼团中·还差N人 until its group forms)."""
    with person.page.expect_navigation():
        person.page.click(f"{button}:visible, button[form=buy]")
    assert "/sandbox/pay/" in person.page.url, person.page.content()
    amount = person.page.text_content("[data-testid=pay-amount]") or ""
    with person.page.expect_navigation():
        person.page.click("text=确认支付")
    if "?paid=" in person.page.url:  # a group or bargain lands on its page to invite
        with person.page.expect_navigation():
            person.page.click("[data-testid=paid-order]")
    assert person.page.text_content("[data-testid=order-status]") == status
    return amount


def _orders(kind: str) -> list[Order]:
    with read_session() as session:
        return list(session.query(Order).filter_by(kind=kind).order_by(Order.id))


def test_a_group_of_three_completed_through_its_shared_link(visitor):
    deal = data.group_buy(data.goods(), size=3)
    leader, leader_id = _person(visitor, "团长阿明")
    leader.page.goto(f"/group-buys/{deal}")
    leader.shot("group-buy")
    _fill_address(leader)
    assert _submit_and_pay(leader, "[data-testid=open-group] button[type=submit]",
                           "拼团中·还差2人") == "¥29.90"
    with leader.page.expect_navigation():
        leader.page.click("[data-testid=campaign-link]")
    assert leader.page.text_content("[data-testid=group-status]") == "拼团中"
    assert "还差 2 人成团" in (leader.page.text_content("[data-testid=group-progress]") or "")
    link = leader.page.input_value("[data-testid=page-link]")
    assert link.endswith("/groups/1")

    for name, status in (("小红", "拼团中·还差1人"), ("小蓝", "待发货")):
        friend, _ = _person(visitor, name)
        friend.page.goto(link)
        assert friend.page.locator("[data-testid=members] .avatar:not(.avatar--empty)").count() >= 1
        friend.shot("group-join")
        _fill_address(friend)
        assert _submit_and_pay(friend, "[data-testid=join-group] button[type=submit]",
                               status) == "¥29.90"
        friend.page.goto(link)
        assert friend.page.locator("[data-testid=in-group]").is_visible()

    leader.page.reload()
    assert leader.page.text_content("[data-testid=group-status]") == "已成团"
    assert leader.page.locator("[data-testid=members] .member--paid").count() == 3
    leader.shot("group-succeeded")
    orders = _orders("group_buy")
    assert [o.status for o in orders] == ["paid"] * 3 and orders[0].buyer_id == leader_id
    with read_session() as session:
        group = session.get_one(Group, 1)
        assert (group.status, group.paid_count) == ("succeeded", 3)


def _price(person: Visitor) -> int:
    text = person.page.text_content("[data-testid=current-price]") or ""
    return int(re.sub(r"[^0-9]", "", text))


def test_a_bargain_helped_by_two_friends_and_bought_at_the_new_price(visitor):
    bargain = data.bargain(data.goods(), helps=3)
    owner, owner_id = _person(visitor, "砍价人")
    owner.page.goto(f"/bargains/{bargain}")
    with owner.page.expect_navigation():
        owner.page.click("[data-testid=start-bargain] button")
    assert owner.page.url.endswith("/bargain-runs/1")
    with read_session() as session:
        run = session.get_one(BargainRun, 1)
    assert _price(owner) == 5000 - run.cuts_fen[0]  # the starter's own first cut
    assert "还需 3 位" in (owner.page.text_content("[data-testid=helps-remaining]") or "")
    with read_session() as session:
        run = session.get_one(BargainRun, 1)
    assert owner.page.text_content("[data-testid=commitment-hash]") == run.commitment
    link = owner.page.input_value("[data-testid=page-link]")

    prices = [_price(owner)]
    for name, left in (("帮手一", 2), ("帮手二", 1)):
        friend, _ = _person(visitor, name)
        friend.page.goto(link)
        with friend.page.expect_navigation():
            friend.page.click("[data-testid=help] button:visible, button[form=help]")
        assert friend.page.locator("[data-testid=my-cut]").is_visible()
        prices.append(_price(friend))
        remaining = friend.page.text_content("[data-testid=helps-remaining]") or ""
        assert f"还需 {left} 位" in remaining
        friend.shot("bargain-helped")
    assert prices[0] > prices[1] > prices[2] > 1000
    assert prices[2] == 5000 - sum(run.cuts_fen[:3])

    owner.page.reload()
    assert _price(owner) == prices[2]
    owner.shot("bargain-run")
    _fill_address(owner)
    paid = _submit_and_pay(owner, "[data-testid=buy-run] button[type=submit]")
    assert paid == f"¥{prices[2] // 100}.{prices[2] % 100:02d}"
    (order,) = _orders("bargain")
    assert (order.buyer_id, order.total_fen, order.status) == (owner_id, prices[2], "paid")


def test_a_flash_sale_bought_until_sold_out(visitor):
    sale = data.flash(data.goods(), stock=3, limit=1)
    late, late_id = _person(visitor, "迟到的人")
    for n in range(3):
        buyer, _ = _person(visitor, f"抢购者{n}")
        buyer.page.goto(f"/flash/{sale}")
        assert buyer.page.text_content("[data-testid=stock-left]") == str(3 - n)
        if n == 2:
            late.page.goto(f"/flash/{sale}")  # sees the last unit, buys too late
            _fill_address(late)
        _fill_address(buyer)
        assert _submit_and_pay(buyer, "[data-testid=flash-buy] button[type=submit]") == "¥19.90"
        buyer.page.goto(f"/flash/{sale}")
        assert buyer.page.text_content("[data-testid=stock-left]") == str(2 - n)
    buyer.shot("flash-sold-out")
    # the bar shows what is taken (已抢): full once sold out, empty at the start
    assert buyer.page.get_attribute(".bar-fill", "style") == "width: 100%"
    assert buyer.page.text_content("[data-testid=sold-percent]") == "已抢 100%"

    with late.page.expect_navigation():
        late.page.click("[data-testid=flash-buy] button[type=submit]:visible, button[form=buy]")
    assert late.page.text_content("[data-testid=refusal]") == "已抢光"
    # the refusal page is answered 409, which Chromium reports on the console: that
    # report is expected here, anything else is not
    assert [e.split(": ", 1)[1] for e in late.errors] == [
        "Failed to load resource: the server responded with a status of 409 (Conflict)"]
    late.errors.clear()
    assert late.page.text_content("[data-testid=sold-out]") == "已抢光"
    late.page.goto(f"/flash/{sale}")
    assert late.page.is_disabled("[data-testid=sold-out]")
    with read_session() as session:
        held = session.query(func.sum(FlashReservation.quantity)).scalar()
        assert session.query(FlashReservation).count() == 3 and held == 3
        assert session.query(FlashReservation).filter_by(user_id=late_id).count() == 0
    assert [o.status for o in _orders("flash_sale")] == ["paid"] * 3


def test_a_promoters_share_of_a_group_lands_on_it_and_credits_the_join(visitor):
    given = world()
    deal = data.group_buy(data.goods(), size=2)
    leader, _ = _person(visitor, "团长")
    leader.page.goto(f"/group-buys/{deal}")
    _fill_address(leader)
    _submit_and_pay(leader, "[data-testid=open-group] button[type=submit]", "拼团中·还差1人")

    promoter = visitor()
    PEOPLE.append(promoter)
    promoter.sign_in(given.promoter, PASSWORD)
    promoter.page.goto("/groups/1")
    promoter.page.click("text=分享赚佣金")
    promoter.page.locator("[data-testid=share-sheet]").wait_for()
    link = promoter.page.input_value("[data-testid=share-link]")
    assert "/s/" in link
    promoter.shot("group-share-sheet")

    friend, friend_id = _person(visitor, "朋友")
    friend.page.goto(link)
    assert friend.page.url.endswith("/groups/1")
    _fill_address(friend)
    _submit_and_pay(friend, "[data-testid=join-group] button[type=submit]")
    (order,) = [o for o in _orders("group_buy") if o.buyer_id == friend_id]
    assert order.attribution is not None
    assert order.attribution["promoter_id"] == given.promoter_id
