"""The campaign consoles without a browser: each kind created through its form, refusals
shown in the form with nothing created, CSRF, and suppliers kept to their own SKUs."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from quanzi.campaigns.models import Bargain, FlashSale, GroupBuy, Presale, TieredDeal
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.web.campaigns.forms import FIELD_LABELS, REASONS
from quanzi.web.kit import i18n
from tests.campaigns.listing_data import one_of_each, operator
from tests.factories import make_product, make_supplier, make_user, snapshot
from tests.web.helpers import csrf_of, form_post, sign_in

MODELS = {"flash_sale": FlashSale, "group_buy": GroupBuy, "bargain": Bargain,
          "tiered": TieredDeal, "presale": Presale}
WINDOW = {"starts_at": "2030-01-02T10:00", "ends_at": "2030-01-05T22:30"}
FORMS = {
    "flash_sale": {"price": "9.90", "stock": "5", "per_user_limit": "2", **WINDOW},
    "group_buy": {"price": "10.9", "group_size": "3", "duration_h": "1.5",
                  "per_user_limit": "1", "max_groups": "20", "auto_complete": "on"},
    "bargain": {"start_price": "12.90", "floor_price": "5.90", "helps_needed": "3",
                "helps_needed_max": "6", "duration_h": "24", "helps_per_user_per_day": "2",
                **WINDOW},
    "tiered": {"tier_min_1": "1", "tier_price_1": "11.90", "tier_min_2": "5",
               "tier_price_2": "9.90", "tier_min_3": "10", "tier_price_3": "8.80", **WINDOW},
    "presale": {"price": "12", "deposit": "1", "deposit_worth": "3",
                "deposit_starts_at": "2030-01-02T10:00", "deposit_ends_at": "2030-01-03T10:00",
                "balance_starts_at": "2030-01-04T10:00", "balance_ends_at": "2030-01-05T10:00",
                "unpaid_balance_rule": "refund_deposit"},
}
SHANGHAI_10AM = datetime(2030, 1, 2, 2, 0, tzinfo=UTC)  # 2030-01-02 10:00 in Shanghai


def counts() -> dict[str, int]:
    with read_session() as session:
        return {kind: session.scalar(select(func.count()).select_from(model)) or 0
                for kind, model in MODELS.items()}


def row(kind: str, campaign_id: int) -> object:
    with read_session() as session:
        found = session.get(MODELS[kind], campaign_id)
        session.expunge_all()
        return found


def test_the_operator_creates_each_kind_through_its_form(client):
    (sku,) = make_product(make_supplier(), [("1kg", 1290, 100)], title="赣南脐橙")
    sign_in(client, make_user("operator").email)
    made = {}
    for kind, values in FORMS.items():
        response = form_post(client, "/operator/campaigns", f"/operator/campaigns/{kind}",
                             {"sku_id": sku, **values})
        assert response.status_code == 303, (kind, response.text[:2000])
        location = response.headers["location"]
        assert location.startswith(f"/operator/campaigns?created={kind}-")
        made[kind] = int(location.rsplit("-", 1)[1])

    flash, group, bargain = (row(k, made[k]) for k in ("flash_sale", "group_buy", "bargain"))
    tiered, presale = row("tiered", made["tiered"]), row("presale", made["presale"])
    assert (flash.price_fen, flash.stock, flash.per_user_limit, flash.starts_at,
            flash.ends_at) == (990, 5, 2, SHANGHAI_10AM, datetime(2030, 1, 5, 14, 30, tzinfo=UTC))
    assert (group.price_fen, group.group_size, group.duration_s, group.max_groups,
            group.auto_complete, group.ends_at) == (1090, 3, 5400, 20, True, None)
    assert (bargain.start_price_fen, bargain.floor_price_fen, bargain.helps_min,
            bargain.helps_max, bargain.duration_s, bargain.helps_per_user_per_day,
            bargain.allow_in_wechat) == (1290, 590, 3, 6, 86400, 2, False)
    assert tiered.tiers == [{"min_participants": 1, "price_fen": 1190},
                            {"min_participants": 5, "price_fen": 990},
                            {"min_participants": 10, "price_fen": 880}]
    assert (presale.price_fen, presale.deposit_fen, presale.deposit_worth_fen,
            presale.deposit_starts_at, presale.unpaid_balance_rule) == (
        1200, 100, 300, SHANGHAI_10AM, "refund_deposit")
    page = client.get("/operator/campaigns?created=presale-1").text
    assert 'data-testid="created"' in page
    assert all(f'data-testid="campaign-{k}-{i}"' in page for k, i in made.items())
    assert "2030-01-02 10:00" in page  # shown back in Shanghai time


@pytest.mark.parametrize(("kind", "change", "reason", "status"), [
    ("bargain", {"floor_price": "12.90"}, "底价须不低于 0 且低于起砍价", 422),
    ("tiered", {"tier_price_2": "12.90"}, "各档价格须逐档降低", 422),
    ("presale", {"deposit": "5"}, "须满足 0 &lt; 定金 ≤ 定金抵扣 ≤ 预售价", 422),
    ("flash_sale", {"stock": "101"}, "该规格的库存不够这么多活动库存", 409),
    ("flash_sale", {"ends_at": "2030-01-01T10:00"}, "结束时间须晚于开始时间", 422),
    ("group_buy", {"price": "abc"}, "活动价（元）", 422),
    ("group_buy", {"group_size": "1"}, "成团人数", 422),
])
def test_a_refused_configuration_shows_the_reason_and_creates_nothing(client, kind, change,
                                                                      reason, status):
    (sku,) = make_product(make_supplier(), [("1kg", 1290, 100)])
    sign_in(client, make_user("operator").email)
    response = form_post(client, "/operator/campaigns", f"/operator/campaigns/{kind}",
                         {"sku_id": sku, **FORMS[kind], **change})
    assert response.status_code == status
    error = re.search(r'data-testid="campaign-error">([^<]*)<', response.text)
    assert error and reason in error.group(1), response.text[:3000]
    said = re.search(r'<p class="field-error" id="([^"]+)"', response.text)
    assert bool(said) == (kind == "group_buy")  # a single field's reason sits under it
    if said:
        assert said.group(1) == f"campaign-{next(iter(change))}-error"
        assert f'aria-describedby="{said.group(1)}"' in response.text
    assert f'data-testid="form-{kind}" open' in response.text
    typed = next(iter(change.values()))
    assert f'value="{typed}"' in response.text
    assert counts() == dict.fromkeys(MODELS, 0)
    with read_session() as session:
        assert session.get(Sku, sku).stock == 100  # no flash allotment taken


def test_the_forms_need_their_csrf_token(client):
    (sku,) = make_product(make_supplier())
    sign_in(client, make_user("operator").email)
    page = client.get("/operator/campaigns").text
    assert page.count('name="csrf_token"') >= len(MODELS) + 1
    data = {"sku_id": sku, **FORMS["group_buy"]}
    missing = client.post("/operator/campaigns/group_buy", data=data, follow_redirects=False)
    wrong = client.post("/operator/campaigns/group_buy", data={**data, "csrf_token": "x" * 43},
                        follow_redirects=False)
    assert missing.status_code == wrong.status_code == 403
    assert counts()["group_buy"] == 0
    assert csrf_of(page)


def test_a_supplier_sees_and_uses_only_its_own_skus(client):
    mine, theirs = make_supplier(), make_supplier()
    (own,) = make_product(mine, [("1kg", 1290, 100)], title="自家苹果")
    (other,) = make_product(theirs, [("1kg", 1290, 100)], title="别家大米")
    by = operator()
    theirs_ids = one_of_each(by, other)
    sign_in(client, make_user("supplier", supplier_id=mine).email)

    page = client.get("/supplier/campaigns").text
    assert f'<option value="{own}"' in page and f'<option value="{other}"' not in page
    assert "别家大米" not in page and 'data-testid="no-campaigns"' in page

    refused = form_post(client, "/supplier/campaigns", "/supplier/campaigns/group_buy",
                        {"sku_id": other, **FORMS["group_buy"]})
    assert refused.status_code == 403
    assert "供货商只能为自己的商品创建活动" in refused.text
    assert counts()["group_buy"] == 1  # only the other supplier's own

    done = form_post(client, "/supplier/campaigns", "/supplier/campaigns/group_buy",
                     {"sku_id": own, **FORMS["group_buy"]})
    assert done.status_code == 303
    listed = client.get("/supplier/campaigns").text
    assert "自家苹果" in listed and "别家大米" not in listed
    assert f'data-testid="campaign-group_buy-{theirs_ids["group_buy"]}"' not in listed


def test_only_staff_reach_the_consoles(client):
    assert client.get("/operator/campaigns", follow_redirects=False).status_code == 303
    sign_in(client, make_user().email)
    assert client.get("/operator/campaigns").status_code == 403
    assert client.get("/supplier/campaigns").status_code == 403
    sign_in(client, make_user("supplier", supplier_id=make_supplier()).email)
    assert client.get("/operator/campaigns").status_code == 403
    assert client.get("/supplier/campaigns").status_code == 200
    assert client.get("/operator/campaigns/coupon").status_code == 405


def test_unknown_kinds_are_a_404_and_the_console_speaks_english(client):
    (sku,) = make_product(make_supplier())
    one_of_each(operator(), sku)
    sign_in(client, make_user("operator").email)
    before = snapshot()
    assert form_post(client, "/operator/campaigns", "/operator/campaigns/coupon",
                     {"sku_id": sku}).status_code == 404
    assert snapshot() == before
    english = client.get("/operator/campaigns?status=live&kind=tiered",
                         headers={"Accept-Language": "en"}).text
    assert "New campaign" in english and "Tiered deal" in english and "Live" in english
    assert 'data-testid="campaign-tiered-1"' in english
    assert 'data-testid="campaign-flash_sale-1"' not in english


def test_a_refusal_reads_in_english_on_an_english_page(client):
    (sku,) = make_product(make_supplier())
    sign_in(client, make_user("operator").email)
    token = csrf_of(client.get("/operator/campaigns").text)
    refused = client.post("/operator/campaigns/tiered", headers={"Accept-Language": "en"},
                          data={"sku_id": sku, **FORMS["tiered"], "tier_min_2": "1",
                                "csrf_token": token})
    assert refused.status_code == 422
    assert "The people of each tier must rise from tier to tier." in refused.text
    assert counts()["tiered"] == 0


def test_every_form_label_and_reason_has_an_english_translation():
    english = i18n.catalog("en")
    wanted = {*FIELD_LABELS.values(), *REASONS.values()}
    assert sorted(message for message in wanted if message not in english) == []
