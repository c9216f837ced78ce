"""The WeChat help switch on the bargain-run page (issue #10, item 9): where the bargain
keeps helps out of WeChat and the page is opened inside it, the page shows neither
帮砍一刀 nor 邀请好友帮砍 and says why up front, with the way out (open in the browser);
with helps allowed, or outside WeChat, both are there; the help itself is still refused.
And a help that comes after the floor is reached is told so, not that the campaign ended."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from quanzi.campaigns import services as campaigns
from quanzi.campaigns.models import BargainHelp
from quanzi.campaigns.schemas import BargainCreate
from quanzi.core.db import read_session
from tests.factories import make_user
from tests.web import campaign_data as data
from tests.web.helpers import csrf_of, sign_in

WECHAT = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                        "AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI"}
BROWSER = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                         "AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"}
HELP_BUTTON = 'data-testid="help"'
HELP_TEXT = "帮砍一刀</"  # the button's (and the sign-in link's) words
INVITE = "<h2>邀请好友帮砍</h2>"  # the share sheet
WHY = 'data-testid="helps-off"'
WAY_OUT = "点击右上角 ··· → 在浏览器打开"


def _run(*, allow_in_wechat: bool) -> int:
    """A live run of a new bargain, started by a new user."""
    given = data.goods()
    bargain = campaigns.create_bargain(by=given.staff, data=BargainCreate(
        sku_id=given.sku_id, start_price_fen=data.LIST_PRICE, floor_price_fen=1000,
        helps_needed=2, duration_s=24 * 3600, allow_in_wechat=allow_in_wechat))
    return campaigns.start_bargain(bargain_id=bargain.id, user_id=make_user().id).bargain_run_id


def _friend(app) -> TestClient:  # type: ignore[no-untyped-def]
    browser = TestClient(app)
    sign_in(browser, make_user().email or "")
    return browser


def _helps() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count(BargainHelp.id))) or 0)


def test_inside_wechat_with_helps_off_the_page_says_why_and_offers_no_help(app):
    run = _run(allow_in_wechat=False)
    friend = _friend(app)

    page = friend.get(f"/bargain-runs/{run}", headers=WECHAT).text

    assert HELP_BUTTON not in page and HELP_TEXT not in page and INVITE not in page
    assert WHY in page and WAY_OUT in page
    assert page.index(WHY) < page.index('data-testid="commitment"')  # said up front
    anonymous = TestClient(app).get(f"/bargain-runs/{run}", headers=WECHAT).text
    assert HELP_TEXT not in anonymous and INVITE not in anonymous and WAY_OUT in anonymous


def test_the_owner_inside_wechat_is_not_offered_the_invite_either(app):
    given = data.goods()
    bargain = campaigns.create_bargain(by=given.staff, data=BargainCreate(
        sku_id=given.sku_id, start_price_fen=data.LIST_PRICE, floor_price_fen=1000,
        helps_needed=2, duration_s=24 * 3600))
    owner = make_user()
    run = campaigns.start_bargain(bargain_id=bargain.id, user_id=owner.id).bargain_run_id
    browser = TestClient(app)
    sign_in(browser, owner.email or "")

    page = browser.get(f"/bargain-runs/{run}", headers=WECHAT).text

    assert INVITE not in page and WAY_OUT in page
    assert 'data-testid="buy-run"' in page  # buying is no help: it stays


@pytest.mark.parametrize(("allow_in_wechat", "agent"), [(False, BROWSER), (True, WECHAT),
                                                         (True, BROWSER)])
def test_with_helps_on_or_outside_wechat_both_buttons_are_there(app, allow_in_wechat, agent):
    run = _run(allow_in_wechat=allow_in_wechat)
    page = _friend(app).get(f"/bargain-runs/{run}", headers=agent).text
    assert HELP_BUTTON in page and HELP_TEXT in page and INVITE in page
    assert WHY not in page and WAY_OUT not in page


def test_the_help_posted_from_inside_wechat_is_still_refused(app):
    run = _run(allow_in_wechat=False)
    friend = _friend(app)
    token = csrf_of(friend.get(f"/bargain-runs/{run}", headers=BROWSER).text)

    refused = friend.post(f"/bargain-runs/{run}/help", data={"csrf_token": token},
                          headers=WECHAT, follow_redirects=False)

    assert refused.status_code == 403 and "微信内不支持助力" in refused.text
    assert _helps() == 0


def test_a_run_at_its_floor_says_so_to_a_late_helper(app):
    run = _run(allow_in_wechat=False)
    for _ in range(2):
        campaigns.help_bargain(run_id=run, helper_id=make_user().id)
    late = _friend(app)
    token = csrf_of(late.get(f"/bargain-runs/{run}", headers=BROWSER).text)

    refused = late.post(f"/bargain-runs/{run}/help", data={"csrf_token": token},
                        headers=BROWSER, follow_redirects=False)

    assert refused.status_code == 409
    assert "已砍到底价，无需再帮砍" in refused.text and "活动已结束" not in refused.text
    english = late.post(f"/bargain-runs/{run}/help", data={"csrf_token": token},
                        headers={**BROWSER, "Accept-Language": "en"}, follow_redirects=False)
    assert "already at its floor price" in english.text
    assert _helps() == 2

