"""Shares of campaigns over HTTP: every kind of campaign can be shared, a campaign that
does not exist cannot (404 ``unknown_campaign``, no share made)."""

import pytest
from sqlalchemy import func, select

from quanzi.campaigns.models import BargainRun
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound
from quanzi.referral.campaign_port import campaign_card
from quanzi.referral.models import Share
from quanzi.web.kit import refusals
from tests.factories import auth, make_user
from tests.referral.conftest import approved_promoter
from tests.web.campaign_data import clean_redis, every_page  # noqa: F401 (fixture)

# campaign kind → the name of its page in ``every_page()``
PAGE_OF = {"flash_sale": "flash", "group_buy": "group_buy", "bargain": "bargain",
           "tiered": "tiered", "presale": "presale", "group": "group", "bargain_run": "run"}


def _shares() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count(Share.id))) or 0)


def _ids() -> dict[str, int]:
    pages = every_page()
    return {kind: int(pages[name].rsplit("/", 1)[1]) for kind, name in PAGE_OF.items()}


def test_every_kind_of_campaign_is_shared_and_leads_to_its_page(client):
    pages, headers = every_page(), auth(approved_promoter())
    for kind, name in PAGE_OF.items():
        campaign_id = int(pages[name].rsplit("/", 1)[1])
        response = client.post("/api/v1/shares", headers=headers,
                               json={"campaign_kind": kind, "campaign_id": campaign_id})
        assert response.status_code == 201, (kind, response.text)
        code = response.json()["code"]
        assert client.get(f"/s/{code}", follow_redirects=False).headers["location"] \
            == pages[name]
    assert _shares() == len(PAGE_OF)


@pytest.mark.parametrize("kind", sorted(PAGE_OF))
def test_a_campaign_that_does_not_exist_is_not_shared(client, kind):
    headers = auth(approved_promoter())
    response = client.post("/api/v1/shares", headers=headers,
                           json={"campaign_kind": kind, "campaign_id": 987654})
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "unknown_campaign",
                                        "message": "no such campaign"}
    assert _shares() == 0


def test_an_unknown_campaign_of_a_kind_whose_other_campaigns_exist_is_not_shared(client):
    ids, headers = _ids(), auth(approved_promoter())
    for kind in ("flash_sale", "group"):
        response = client.post("/api/v1/shares", headers=headers,
                               json={"campaign_kind": kind, "campaign_id": ids[kind] + 1000})
        assert response.status_code == 404, kind
    assert _shares() == 0


def test_a_consumer_cannot_share_a_campaign_that_exists(client):
    ids = _ids()
    response = client.post("/api/v1/shares", headers=auth(make_user()),
                           json={"campaign_kind": "flash_sale", "campaign_id": ids["flash_sale"]})
    assert response.status_code == 403
    assert _shares() == 0


def test_the_port_gives_each_campaign_its_card():
    ids = _ids()
    with read_session() as session:
        cards = {kind: campaign_card(session, kind, ident) for kind, ident in ids.items()}
        assert campaign_card(session, "flash_sale", 987654) is None
        assert campaign_card(session, "pyramid", ids["flash_sale"]) is None
    with read_session() as session:  # a run's price: less the starter's own first cut
        run_price = session.get_one(BargainRun, ids["bargain_run"]).current_price_fen
    assert 1000 < run_price < 5000
    assert {kind: card.price_fen for kind, card in cards.items() if card} == {
        "flash_sale": 1990, "group_buy": 2990, "group": 2990, "bargain": 1000,
        "bargain_run": run_price, "tiered": 4500, "presale": 4500}
    assert all(card and card.title == "阳光玫瑰葡萄" and card.kind == kind
               for kind, card in cards.items())
    assert cards["group"] and cards["group"].group_size == 3
    assert cards["bargain_run"] and cards["bargain_run"].helps_remaining == 2


def test_the_refusal_reads_in_chinese_and_english_on_pages():
    refused = NotFound("no such campaign", code="unknown_campaign")
    assert refusals.say(refused) == "没有这个活动。"
    assert refusals.say(refused, "en") == "There is no such campaign."
