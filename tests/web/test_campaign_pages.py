"""The buyer's campaign pages without a browser: each renders in Chinese and English,
unknown ids are the 404 page, forms need their CSRF token, and a campaign share leads
to its page."""


import pytest
from fastapi.testclient import TestClient

from quanzi.campaigns import services as campaigns
from quanzi.campaigns.models import BargainRun, FlashReservation, Group
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from quanzi.referral import services as referral
from quanzi.referral import shares
from tests.factories import ADDRESS, make_user, snapshot
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import sign_in

EN = {"Accept-Language": "en-US,en;q=0.9"}


def _token(html: str) -> str:
    """The page's CSRF token as htmx sends it (the ``hx-headers`` of ``<body>``)."""
    return html.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]


CHINESE = {"flash": ["¥19.90", "¥50.00", "每人限购 1 件", "距结束", "登录后抢购"],
           "group_buy": ["¥29.90", "3 人团", "去参团", "登录后开团"],
           "group": ["拼团中", "还差 2 人成团", "登录后参团", "距结束"],
           "bargain": ["¥10.00", "邀请 2 位好友帮砍即可砍到底价。"],
           "run": ["¥50.00", "还需 2 位好友帮砍", "公平承诺", "登录后帮砍一刀"],
           "tiered": ["¥45.00", "再差 3 人降到 ¥39.00", "满 10 人"],
           "presale": ["¥10.00", "定金膨胀", "尾款未在规定时间内支付，定金不退"]}
ENGLISH = {"flash": ["limit 1 per person", "Ends in", "Sign in to buy"],
           "group_buy": ["Group of 3", "Open groups you can join"],
           "group": ["2 more to complete the group", "Sign in to join"],
           "bargain": ["Invite 2 friends to help"],
           "run": ["Fairness commitment", "Sign in to help"],
           "tiered": ["3 more to drop to ¥39.00", "10+ people"],
           "presale": ["Deposit bonus", "If the balance is not paid in time, the deposit is kept"]}


def test_every_campaign_page_renders_in_chinese_and_english(client):
    pages = data.every_page()
    for name, path in pages.items():
        chinese = client.get(path)
        assert chinese.status_code == 200, (name, chinese.text)
        assert '<html lang="zh-CN">' in chinese.text and "阳光玫瑰葡萄" in chinese.text
        for wanted in CHINESE[name]:
            assert wanted in chinese.text, (name, wanted)
        english = client.get(path, headers=EN)
        assert english.status_code == 200 and '<html lang="en">' in english.text
        for wanted in ENGLISH[name]:
            assert wanted in english.text, (name, wanted)


def test_the_run_shows_its_commitment_from_the_start_and_the_salt_only_at_the_end(client):
    path = data.every_page()["run"]
    with read_session() as session:
        run = session.get_one(BargainRun, int(path.rsplit("/", 1)[1]))
        commitment, salt = run.commitment, run.salt
    page = client.get(path).text
    assert commitment in page and salt not in page
    helpers = [make_user(), make_user()]
    for helper in helpers:
        campaigns.help_bargain(run_id=run.id, helper_id=helper.id)
    ended = client.get(path).text
    assert "已砍到底价" in ended and salt in ended and "¥10.00" in ended
    cuts = ",".join(str(c) for c in run.cuts_fen)
    assert f"{salt}:{cuts}" in ended and "sha256sum" in ended


@pytest.mark.parametrize("path", ["/flash/99", "/group-buys/99", "/groups/99", "/bargains/99",
                                  "/bargain-runs/99", "/tiered/99", "/presales/99",
                                  "/flash/abc", "/groups/0", "/tiered/99999999999",
                                  "/presales/" + "9" * 5000, "/flash/%D9%A1"])
def test_unknown_campaigns_are_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "活动不存在或已结束。" in response.text
    english = client.get(path, headers=EN)
    assert "This campaign does not exist or has ended." in english.text


def test_forms_without_their_csrf_token_are_refused_and_change_nothing(client):
    pages = data.every_page()
    sign_in(client, make_user().email or "")
    actions = [f"{pages['flash']}/buy", f"{pages['group_buy']}/open", f"{pages['group']}/join",
               f"{pages['bargain']}/start", f"{pages['run']}/help", f"{pages['tiered']}/join",
               f"{pages['presale']}/order"]
    for action in actions:
        for token in (None, "x" * 43):
            form = {**ADDRESS, **({"csrf_token": token} if token else {})}
            refused = client.post(action, data=form, follow_redirects=False)
            assert refused.status_code == 403, (action, refused.status_code)
    with read_session() as session:
        assert session.query(Order).count() == 1  # the group leader's, made by every_page
        assert session.query(FlashReservation).count() == 0
        assert session.query(BargainRun).count() == 1
        assert session.get_one(Group, 1).member_count == 1


def test_signing_in_is_asked_before_buying(client):
    pages = data.every_page()
    token = _token(client.get(pages["flash"]).text)
    response = client.post(f"{pages['flash']}/buy", data={**ADDRESS, "csrf_token": token},
                           headers={"Referer": f"http://testserver{pages['flash']}"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + pages["flash"]
    with read_session() as session:
        assert session.query(FlashReservation).count() == 0


def _promoter(client: TestClient) -> int:
    operator, promoter = make_user("operator"), make_user()
    applied = referral.apply(user_id=promoter.id)
    referral.approve(operator_id=operator.id, promoter_id=applied.id)
    sign_in(client, promoter.email or "")
    return promoter.id


def test_a_promoter_shares_a_campaign_page_and_the_link_lands_on_it(client):
    pages = data.every_page()
    promoter_id = _promoter(client)
    page = client.get(pages["group"])
    token = _token(page.text)
    sheet = client.post(f"{pages['group']}/share", headers={"X-CSRF-Token": token,
                                                            "HX-Request": "true"})
    assert sheet.status_code == 200 and 'data-testid="share-sheet"' in sheet.text
    code = sheet.text.split("/s/", 1)[1].split('"', 1)[0]
    landed = client.get(f"/s/{code}", follow_redirects=False)
    assert landed.status_code == 302 and landed.headers["location"] == pages["group"]
    kinds = {"flash_sale": "flash", "group_buy": "group_buy", "bargain": "bargain",
             "tiered": "tiered", "presale": "presale", "group": "group", "bargain_run": "run"}
    for kind, name in kinds.items():
        target_id = int(pages[name].rsplit("/", 1)[1])
        share = shares.create_share(promoter_user_id=promoter_id, campaign_kind=kind,
                                    campaign_id=target_id)
        landed = client.get(share.url, follow_redirects=False)
        assert landed.headers["location"] == pages[name], kind
        assert client.get(landed.headers["location"]).status_code == 200


def test_only_promoters_get_a_campaign_share(client):
    pages = data.every_page()
    sign_in(client, make_user().email or "")
    page = client.get(pages["flash"]).text
    assert 'data-testid="page-link"' in page and "分享赚佣金" not in page
    token = _token(page)
    before = snapshot()
    refused = client.post(f"{pages['flash']}/share", headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert snapshot() == before
