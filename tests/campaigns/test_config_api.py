"""Campaign configuration over HTTP: who may create what, and what anyone can read."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quanzi.campaigns.models import Bargain, FlashSale, GroupBuy, Presale, TieredDeal
from quanzi.core import clock
from quanzi.core.db import read_session
from tests.campaigns.helpers import headers, iso, sku_of_new_supplier

HOUR = timedelta(hours=1)


@pytest.fixture
def shop():  # type: ignore[no-untyped-def]
    """Two suppliers with a SKU each, their staff, an operator and a consumer."""
    supplier_id, sku_id = sku_of_new_supplier()
    _, other_sku_id = sku_of_new_supplier()
    return {
        "sku": sku_id, "other_sku": other_sku_id,
        "operator": headers("operator"),
        "supplier": headers("supplier", supplier_id=supplier_id),
        "consumer": headers(),
    }


def _bodies(sku_id: int) -> dict[str, dict]:
    now = clock.now()
    return {
        "/api/v1/flash-sales": {"sku_id": sku_id, "price_fen": 990, "stock": 100,
                                "per_user_limit": 1, "starts_at": iso(now + HOUR),
                                "ends_at": iso(now + 2 * HOUR)},
        "/api/v1/group-buys": {"sku_id": sku_id, "price_fen": 1990, "group_size": 3,
                               "duration_s": 86400, "per_user_limit": 2},
        "/api/v1/bargains": {"sku_id": sku_id, "start_price_fen": 9900,
                             "floor_price_fen": 100, "helps_needed": 5, "duration_s": 86400},
        "/api/v1/tiered-deals": {"sku_id": sku_id, "starts_at": iso(now),
                                 "ends_at": iso(now + 48 * HOUR),
                                 "tiers": [{"min_participants": 1, "price_fen": 3990},
                                           {"min_participants": 10, "price_fen": 3490},
                                           {"min_participants": 50, "price_fen": 2990}]},
        "/api/v1/presales": {"sku_id": sku_id, "price_fen": 9900, "deposit_fen": 1000,
                             "deposit_worth_fen": 3000, "deposit_starts_at": iso(now),
                             "deposit_ends_at": iso(now + 24 * HOUR),
                             "balance_starts_at": iso(now + 48 * HOUR),
                             "balance_ends_at": iso(now + 72 * HOUR)},
    }


TABLES = {"/api/v1/flash-sales": FlashSale, "/api/v1/group-buys": GroupBuy,
          "/api/v1/bargains": Bargain, "/api/v1/tiered-deals": TieredDeal,
          "/api/v1/presales": Presale}
PATHS = list(TABLES)


def _count(path: str) -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(TABLES[path]))


@pytest.mark.parametrize("path", PATHS)
def test_operator_and_own_supplier_create(client, shop, path):
    for who in ("operator", "supplier"):
        response = client.post(path, json=_bodies(shop["sku"])[path], headers=shop[who])
        assert response.status_code == 201, response.text
        assert response.json()["sku_id"] == shop["sku"]
    assert _count(path) == 2


@pytest.mark.parametrize("path", PATHS)
def test_others_are_refused_and_nothing_is_created(client, shop, path):
    other = client.post(path, json=_bodies(shop["other_sku"])[path], headers=shop["supplier"])
    consumer = client.post(path, json=_bodies(shop["sku"])[path], headers=shop["consumer"])
    anonymous = client.post(path, json=_bodies(shop["sku"])[path])
    assert (other.status_code, consumer.status_code, anonymous.status_code) == (403, 403, 401)
    assert _count(path) == 0


@pytest.mark.parametrize("path", PATHS)
def test_unknown_sku_is_422(client, shop, path):
    response = client.post(path, json=_bodies(999_999)[path], headers=shop["operator"])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_sku"
    assert _count(path) == 0


@pytest.mark.parametrize(("path", "change"), [
    ("/api/v1/flash-sales", {"stock": 0}),
    ("/api/v1/flash-sales", {"ends_at": "2020-01-01T00:00:00+00:00"}),
    ("/api/v1/flash-sales", {"starts_at": "2030-01-01T00:00:00"}),  # no zone
    ("/api/v1/flash-sales", {"price_fen": -1}),
    ("/api/v1/flash-sales", {"surprise": 1}),
    ("/api/v1/group-buys", {"group_size": 1}),
    ("/api/v1/group-buys", {"group_size": 101}),
    ("/api/v1/bargains", {"floor_price_fen": 9900}),
    ("/api/v1/bargains", {"helps_needed": 10, "floor_price_fen": 9895}),
    ("/api/v1/bargains", {"helps_needed_max": 2}),
    ("/api/v1/tiered-deals", {"tiers": [{"min_participants": 2, "price_fen": 100}]}),
    ("/api/v1/tiered-deals", {"tiers": [{"min_participants": 1, "price_fen": 100},
                                        {"min_participants": 5, "price_fen": 120}]}),
    ("/api/v1/presales", {"deposit_fen": 5000}),
    ("/api/v1/presales", {"unpaid_balance_rule": "keep_it_all"}),
    ("/api/v1/presales", {"balance_starts_at": "2020-01-01T00:00:00+00:00"}),
])
def test_bad_configuration_is_422_and_creates_nothing(client, shop, path, change):
    body = {**_bodies(shop["sku"])[path], **change}
    response = client.post(path, json=body, headers=shop["operator"])
    assert response.status_code == 422, response.text
    assert _count(path) == 0


def test_flash_sale_reads_with_status_from_the_clock(client, shop):
    created = client.post("/api/v1/flash-sales", json=_bodies(shop["sku"])["/api/v1/flash-sales"],
                          headers=shop["operator"]).json()
    sale_id = created["id"]
    before = client.get(f"/api/v1/flash-sales/{sale_id}").json()
    assert (before["status"], before["stock_left"], before["price_fen"]) == ("not_started", 100,
                                                                             990)
    clock.advance(HOUR)
    assert client.get(f"/api/v1/flash-sales/{sale_id}").json()["status"] == "active"
    clock.advance(HOUR)
    assert client.get(f"/api/v1/flash-sales/{sale_id}").json()["status"] == "ended"


def test_group_buy_and_unknown_group_reads(client, shop):
    created = client.post("/api/v1/group-buys", json=_bodies(shop["sku"])["/api/v1/group-buys"],
                          headers=shop["supplier"]).json()
    read = client.get(f"/api/v1/group-buys/{created['id']}").json()
    assert (read["group_size"], read["auto_complete"], read["status"]) == (3, False, "active")
    assert client.get("/api/v1/groups/12345").status_code == 404
    assert client.get("/api/v1/groups/99999999999").status_code == 422


def test_tiered_deal_read_shows_current_and_next_tier(client, shop):
    created = client.post("/api/v1/tiered-deals",
                          json=_bodies(shop["sku"])["/api/v1/tiered-deals"],
                          headers=shop["operator"]).json()
    read = client.get(f"/api/v1/tiered-deals/{created['id']}").json()
    assert read["current_price_fen"] == 3990
    assert read["next_tier"] == {"min_participants": 10, "price_fen": 3490}
    assert read["participants"] == 0 and read["status"] == "active"


def test_presale_read_shows_balance_and_the_unpaid_rule(client, shop):
    created = client.post("/api/v1/presales", json=_bodies(shop["sku"])["/api/v1/presales"],
                          headers=shop["operator"]).json()
    read = client.get(f"/api/v1/presales/{created['id']}").json()
    assert (read["balance_fen"], read["phase"]) == (6900, "deposit")
    assert read["unpaid_balance_rule"] == "forfeit_deposit"
    assert "定金不退" in read["unpaid_balance_rule_text"]
