"""The bargain run page (issue #14, the buyer's path): the starter's own first cut, the
main button 邀请好友帮砍, fairness behind a link, and the WeChat guide up front."""

from fastapi.testclient import TestClient

from quanzi.campaigns import services as campaigns
from quanzi.campaigns.models import BargainRun
from quanzi.core.db import read_session
from tests.factories import make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import form_post, sign_in
from tests.web.test_bargain_wechat import WECHAT


def _owner_on_run(client: TestClient) -> tuple[int, BargainRun]:
    bargain_id = data.bargain(data.goods(), helps=2)
    owner = make_user(name="砍价人")
    sign_in(client, owner.email or "")
    started = form_post(client, f"/bargains/{bargain_id}", f"/bargains/{bargain_id}/start")
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    with read_session() as session:
        return run_id, session.get_one(BargainRun, run_id)


def test_the_starter_has_cut_first_and_the_main_button_invites_friends(client):
    run_id, run = _owner_on_run(client)
    assert (len(run.cuts_fen), run.helps_done, run.helps_total) == (3, 1, 3)
    first = run.cuts_fen[0]
    assert run.current_price_fen == data.LIST_PRICE - first

    page = client.get(f"/bargain-runs/{run_id}").text
    assert f"-¥{first // 100}.{first % 100:02d}" in page.split('data-testid="starter-cut"')[1]
    assert "砍价人 先砍一刀" in page and "还需 2 位好友帮砍" in page
    invite = page.index('data-testid="invite-friends">邀请好友帮砍</a>')
    assert invite < page.index('data-testid="buy-run"')  # the main button comes first
    assert 'button--wide button--ghost" type="submit">按当前价购买' in page
    assert page.index('<details class="commitment"') > invite  # fairness behind a link
    assert "<summary>公平承诺 · 如何校验</summary>" in page


def test_a_friends_help_applies_the_second_committed_cut(client, app):
    run_id, run = _owner_on_run(client)
    friend = TestClient(app)
    sign_in(friend, make_user().email or "")
    form_post(friend, f"/bargain-runs/{run_id}", f"/bargain-runs/{run_id}/help")
    with read_session() as session:
        after = session.get_one(BargainRun, run_id)
    assert after.current_price_fen == data.LIST_PRICE - sum(run.cuts_fen[:2])
    assert "还需 1 位好友帮砍" in friend.get(f"/bargain-runs/{run_id}").text


def test_inside_wechat_the_guide_comes_before_the_price_and_no_invite_is_offered(client):
    run_id, _ = _owner_on_run(client)
    page = client.get(f"/bargain-runs/{run_id}", headers=WECHAT).text
    assert 'data-testid="invite-friends"' not in page and 'data-testid="campaign-share"' not in page
    assert page.index('data-testid="helps-off"') < page.index('data-testid="current-price"')
    assert "在浏览器打开" in page
    assert 'button--wide bar-twin" type="submit">按当前价购买' in page  # buying stays the main
    assert 'data-testid="buybar-button">立即购买<' in page  # button, in the bar on a phone


def test_a_run_started_through_the_service_shows_the_same_first_cut(client):
    given = data.goods()
    bargain_id = data.bargain(given, helps=3)
    started = campaigns.start_bargain(bargain_id=bargain_id, user_id=make_user().id)
    page = client.get(f"/bargain-runs/{started.bargain_run_id}").text
    cut = data.LIST_PRICE - started.current_price_fen
    assert cut > 0 and f"已砍 ¥{cut // 100}.{cut % 100:02d}" in page
