"""No campaign is a "deal" above its SKU's list price (issue #10, item 8).

Creating one priced above the list price is a 422 ``price_above_list`` that writes
nothing (over the API and from the consoles' forms, in Chinese there). When the list
price is lowered below a live campaign's price later, the campaign stays as made but no
list or page offers it as a deal, its page says the list price is lower, and a buy
through it is a 409 ``price_above_list`` that writes nothing.
"""

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from quanzi.campaigns import listing
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.models import (
    Bargain,
    BargainRun,
    FlashSale,
    GroupBuy,
    GroupMember,
    Presale,
    TieredDeal,
    TieredParticipant,
)
from quanzi.catalog.models import Sku
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.campaigns.helpers import headers, iso, signed_in
from tests.factories import ADDRESS, make_product, make_supplier, make_user
from tests.web import campaign_data as data
from tests.web.campaign_data import clean_redis  # noqa: F401  (autouse)
from tests.web.helpers import form_post, sign_in

LIST_PRICE = 3280  # ¥32.80
DEAR = 999_999  # ¥9,999.99
MODELS = {"/api/v1/flash-sales": FlashSale, "/api/v1/group-buys": GroupBuy,
          "/api/v1/bargains": Bargain, "/api/v1/tiered-deals": TieredDeal,
          "/api/v1/presales": Presale}


def _body(path: str, sku_id: int, price: int) -> dict[str, Any]:
    """A campaign of the kind at ``path`` whose highest price is ``price``."""
    now = clock.now()
    return {
        "/api/v1/flash-sales": {"price_fen": price, "stock": 10, "per_user_limit": 1,
                                "starts_at": iso(now), "ends_at": iso(now + timedelta(hours=2))},
        "/api/v1/group-buys": {"price_fen": price, "group_size": 3, "duration_s": 86400},
        "/api/v1/bargains": {"start_price_fen": price, "floor_price_fen": 100,
                             "helps_needed": 3, "duration_s": 86400},
        "/api/v1/tiered-deals": {"starts_at": iso(now), "ends_at": iso(now + timedelta(days=1)),
                                 "tiers": [{"min_participants": 1, "price_fen": price},
                                           {"min_participants": 5, "price_fen": 100}]},
        "/api/v1/presales": {"price_fen": price, "deposit_fen": 100, "deposit_worth_fen": 300,
                             "deposit_starts_at": iso(now),
                             "deposit_ends_at": iso(now + timedelta(days=1)),
                             "balance_starts_at": iso(now + timedelta(days=2)),
                             "balance_ends_at": iso(now + timedelta(days=3))},
    }[path] | {"sku_id": sku_id}


def _count(model: Any) -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _stock(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).stock


@pytest.mark.parametrize("path", sorted(MODELS))
@pytest.mark.parametrize("role", ["operator", "supplier"])
def test_a_campaign_priced_above_the_list_price_is_refused_and_writes_nothing(client, path,
                                                                              role):
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("1盒", LIST_PRICE, 100)])
    staff = headers(role, supplier_id=supplier if role == "supplier" else None)

    refused = client.post(path, json=_body(path, sku, DEAR), headers=staff)

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "price_above_list"
    assert "3280" in refused.json()["error"]["message"]
    assert _count(MODELS[path]) == 0 and _stock(sku) == 100


@pytest.mark.parametrize("path", sorted(MODELS))
def test_a_campaign_at_the_list_price_is_made(client, path):
    (sku,) = make_product(make_supplier(), [("1盒", LIST_PRICE, 100)])
    made = client.post(path, json=_body(path, sku, LIST_PRICE), headers=headers("operator"))
    assert made.status_code == 201, made.text
    assert _count(MODELS[path]) == 1


@pytest.mark.parametrize("console", ["operator", "supplier"])
def test_the_consoles_say_why_in_chinese_and_create_nothing(client, console):
    supplier = make_supplier()
    (sku,) = make_product(supplier, [("1盒", LIST_PRICE, 100)])
    staff = make_user(console, supplier_id=supplier if console == "supplier" else None)
    sign_in(client, staff.email or "")
    page = f"/{console}/campaigns"
    response = form_post(client, page, f"{page}/flash_sale", {
        "sku_id": sku, "price": "9999.99", "stock": "5", "per_user_limit": "1",
        "starts_at": "2030-01-02T10:00", "ends_at": "2030-01-05T22:30"})
    assert response.status_code == 422
    error = re.search(r'data-testid="campaign-error">([^<]*)<', response.text)
    assert error and error.group(1).strip() == "活动价不能高于商品原价（¥32.80）"
    english = form_post(client, page, f"{page}/flash_sale", {
        "sku_id": sku, "price": "9999.99", "stock": "5", "per_user_limit": "1",
        "starts_at": "2030-01-02T10:00", "ends_at": "2030-01-05T22:30"},
        headers={"Accept-Language": "en"})
    assert "above the product&#39;s list price (¥32.80)" in english.text
    assert _count(FlashSale) == 0 and _stock(sku) == 100


def _lower_list_price(client: Any, sku_id: int, price_fen: int) -> None:
    patched = client.patch(f"/api/v1/skus/{sku_id}", json={"price_fen": price_fen},
                           headers=headers("operator"))
    assert patched.status_code == 200, patched.text


def test_after_the_list_price_is_lowered_no_page_or_list_shows_the_deal(client):
    given = data.goods()
    ids = {"flash_sale": data.flash(given), "group_buy": data.group_buy(given),
           "bargain": data.bargain(given), "tiered": data.tiered(given),
           "presale": data.presale(given)}
    product_id = client.get("/api/v1/campaigns").json()["items"][0]["product_id"]
    listed = {(i["kind"], i["id"]) for i in client.get("/api/v1/campaigns").json()["items"]}
    assert listed == set(ids.items())
    assert 'data-testid="badge-flash_sale-' in client.get(f"/p/{product_id}").text
    assert 'data-testid="list-price"' in client.get(f"/flash/{ids['flash_sale']}").text

    _lower_list_price(client, given.sku_id, 900)  # below every campaign's price, the floor too

    assert client.get("/api/v1/campaigns").json()["items"] == []
    assert 'data-testid="badge-' not in client.get(f"/p/{product_id}").text
    assert 'data-testid="campaign-' not in client.get("/").text
    pages = {"flash_sale": f"/flash/{ids['flash_sale']}",
             "group_buy": f"/group-buys/{ids['group_buy']}",
             "tiered": f"/tiered/{ids['tiered']}", "presale": f"/presales/{ids['presale']}"}
    for kind, page in pages.items():
        html = client.get(page).text
        assert 'data-testid="above-list"' in html and "商品现价 ¥9.00 已低于活动价" in html, kind
        assert 'data-testid="list-price"' not in html, kind
    with read_session() as session:  # staff still find them (the consoles' list)
        staff_list = listing.list_campaigns(session, listing.CampaignFilter(), now=clock.now())
    assert {(i.kind, i.id) for i in staff_list} == set(ids.items())


def test_after_the_list_price_is_lowered_a_buy_is_refused_and_writes_nothing(client):
    given = data.goods()
    sale, deal, tiered, presale = (data.flash(given), data.group_buy(given),
                                   data.tiered(given), data.presale(given))
    owner_id, owner = signed_in()
    run = campaigns.start_bargain(bargain_id=data.bargain(given), user_id=owner_id)
    stock_before = client.get(f"/api/v1/flash-sales/{sale}").json()["stock_left"]
    _lower_list_price(client, given.sku_id, 900)
    buyer = headers()
    attempts = {
        f"/api/v1/flash-sales/{sale}/buy": (buyer, {"quantity": 1, "address": ADDRESS}),
        f"/api/v1/group-buys/{deal}/groups": (buyer, {"address": ADDRESS}),
        f"/api/v1/tiered-deals/{tiered}/join": (buyer, {"quantity": 1, "address": ADDRESS}),
        f"/api/v1/presales/{presale}/orders": (buyer, {"quantity": 1, "address": ADDRESS}),
        f"/api/v1/bargain-runs/{run.bargain_run_id}/buy": (owner, {"address": ADDRESS}),
    }
    for url, (who, body) in attempts.items():
        refused = client.post(url, json=body, headers={**who, "Idempotency-Key": url})
        assert refused.status_code == 409, (url, refused.text)
        assert refused.json()["error"]["code"] == "price_above_list", url

    assert _count(Order) == 0
    assert client.get(f"/api/v1/flash-sales/{sale}").json()["stock_left"] == stock_before
    assert _count(GroupMember) == _count(TieredParticipant) == 0
    with read_session() as session:
        assert session.get_one(TieredDeal, tiered).participants == 0
        assert session.get_one(BargainRun, run.bargain_run_id).status == "active"
        assert session.get_one(Sku, given.sku_id).stock == 100 - 3  # the flash allotment

