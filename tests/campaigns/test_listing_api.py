"""GET /api/v1/campaigns: the contract, the filters, and bad input answered 422."""

import pytest

from quanzi.catalog.schemas import ProductUpdate
from quanzi.catalog.services import update_product
from quanzi.core import clock
from tests.campaigns.listing_data import HOUR, one_of_each, operator
from tests.factories import make_product, make_supplier

FIELDS = {"kind", "id", "sku_id", "product_id", "supplier_id", "title", "spec", "image",
          "price_fen", "list_price_fen", "status", "starts_at", "ends_at", "group_size",
          "deposit_fen"}


def test_anyone_lists_campaigns_with_the_documented_fields(client):
    (sku,) = make_product(make_supplier(), [("2kg", 5000, 50)], title="赣南脐橙")
    ids = one_of_each(operator(), sku)

    response = client.get("/api/v1/campaigns")

    assert response.status_code == 200
    items = response.json()["items"]
    assert {(i["kind"], i["id"]) for i in items} == set(ids.items())
    assert all(set(i) == FIELDS for i in items)
    flash = next(i for i in items if i["kind"] == "flash_sale")
    assert (flash["price_fen"], flash["list_price_fen"], flash["status"], flash["title"],
            flash["spec"]) == (990, 5000, "live", "赣南脐橙", "2kg")
    assert flash["starts_at"].endswith("Z") or flash["starts_at"].endswith("+00:00")


def test_filters_kind_product_status_and_limit(client):
    by = operator()
    (first,) = make_product(make_supplier(), title="苹果")
    (second,) = make_product(make_supplier(), title="梨")
    one_of_each(by, first)
    later = one_of_each(by, second, start=clock.now() + HOUR)
    product = client.get("/api/v1/campaigns", params={"kind": "bargain"}).json()["items"]
    pear = next(i["product_id"] for i in product if i["title"] == "梨")

    def ask(**params: object) -> list[tuple[str, int]]:
        body = client.get("/api/v1/campaigns", params=params).json()
        return [(i["kind"], i["id"]) for i in body["items"]]

    assert sorted(ask(product_id=pear)) == sorted(later.items())
    assert sorted(ask(status="upcoming")) == sorted(later.items())
    assert len(ask(status="live")) == 5 and ("tiered", later["tiered"]) not in ask(status="live")
    assert ask(kind="presale", status="upcoming") == [("presale", later["presale"])]
    assert len(ask(limit=3)) == 3
    assert ask(status="ended") == []


def test_campaigns_of_products_off_the_shelf_are_not_listed(client):
    by = operator()
    (sku,) = make_product(make_supplier(), title="下架品")
    one_of_each(by, sku)
    product_id = client.get("/api/v1/campaigns").json()["items"][0]["product_id"]
    update_product(actor=by, product_id=product_id, data=ProductUpdate(on_shelf=False))
    assert client.get("/api/v1/campaigns").json() == {"items": []}


@pytest.mark.parametrize("query", [
    "kind=coupon", "status=soon", "limit=0", "limit=101", "limit=x", "product_id=0",
    "product_id=-3", "product_id=99999999999", "product_id=abc", "kind=", "status=LIVE",
])
def test_bad_input_is_a_422_with_the_error_body(client, query):
    response = client.get(f"/api/v1/campaigns?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
