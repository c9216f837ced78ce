"""The catalog over HTTP: permissions, validation, visibility and pagination."""

import pytest
from sqlalchemy import func, select

from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.core.db import read_session
from tests.catalog.conftest import make_product, make_supplier
from tests.factories import auth, make_user


def _count(model: type) -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _body(supplier_id: int, over: dict[str, object] | None = None) -> dict[str, object]:
    body: dict[str, object] = {
        "supplier_id": supplier_id, "title": "赣南脐橙", "category": "水果",
        "description": "甜", "images": ["/media/products/a.png"],
        "skus": [{"spec": "2.5kg", "price_fen": 2990, "stock": 100},
                 {"spec": "5kg", "price_fen": 4990, "stock": 50}]}
    body.update(over or {})
    return body


@pytest.fixture
def operator_headers() -> dict[str, str]:
    return auth(make_user("operator"))


def test_operator_creates_lists_and_updates_suppliers(client, operator_headers):
    created = client.post("/api/v1/suppliers", json={"name": "绿源生鲜", "fee_bp": 600},
                          headers=operator_headers)
    assert created.status_code == 201
    supplier = created.json()
    assert supplier == {"id": supplier["id"], "name": "绿源生鲜", "fee_bp": 600}

    patched = client.patch(f"/api/v1/suppliers/{supplier['id']}", json={"fee_bp": 450},
                           headers=operator_headers)
    assert patched.json() == {**supplier, "fee_bp": 450}
    listed = client.get("/api/v1/suppliers", headers=operator_headers)
    assert listed.json() == {"items": [{**supplier, "fee_bp": 450}]}


def test_suppliers_are_for_operators_only(client):
    consumer = auth(make_user())
    assert client.post("/api/v1/suppliers", json={"name": "x"}, headers=consumer).status_code == 403
    assert client.get("/api/v1/suppliers").status_code == 401
    assert _count(Supplier) == 0


def test_supplier_fee_out_of_range_is_422(client, operator_headers):
    response = client.post("/api/v1/suppliers", json={"name": "x", "fee_bp": 10001},
                           headers=operator_headers)
    assert response.status_code == 422
    assert _count(Supplier) == 0


def test_operator_creates_a_product(client, operator_headers, supplier_id):
    response = client.post("/api/v1/products", json=_body(supplier_id), headers=operator_headers)

    assert response.status_code == 201
    product = response.json()
    assert {k: product[k] for k in ("supplier_id", "title", "category", "description", "images",
                                    "on_shelf", "sold_count", "price_from_fen")} == {
        "supplier_id": supplier_id, "title": "赣南脐橙", "category": "水果", "description": "甜",
        "images": ["/media/products/a.png"], "on_shelf": True, "sold_count": 0,
        "price_from_fen": 2990}
    assert [(s["spec"], s["price_fen"], s["stock"]) for s in product["skus"]] == [
        ("2.5kg", 2990, 100), ("5kg", 4990, 50)]
    assert all(isinstance(s["id"], int) for s in product["skus"])
    assert client.get(f"/api/v1/products/{product['id']}").json() == product


def test_product_create_permissions(client, supplier_id):
    own = auth(make_user("supplier", supplier_id=supplier_id))
    other = auth(make_user("supplier", supplier_id=make_supplier("别家")))
    consumer = auth(make_user())

    def post(headers: dict[str, str] | None) -> int:
        return client.post("/api/v1/products", json=_body(supplier_id), headers=headers).status_code

    assert [post(own), post(other), post(consumer), post(None)] == [201, 403, 403, 401]
    assert _count(Product) == 1


def test_product_update_permissions(client, operator_headers, supplier_id):
    product = make_product(supplier_id, "原名")
    own = auth(make_user("supplier", supplier_id=supplier_id))
    other = auth(make_user("supplier", supplier_id=make_supplier("别家")))
    url = f"/api/v1/products/{product.id}"

    assert client.patch(url, json={"title": "别家改名"}, headers=other).status_code == 403
    buyer = auth(make_user())
    assert client.patch(url, json={"title": "顾客改名"}, headers=buyer).status_code == 403
    assert client.patch(url, json={"title": "匿名改名"}).status_code == 401
    assert client.get(url).json()["title"] == "原名"
    assert client.patch(url, json={"title": "自家改名"}, headers=own).json()["title"] == "自家改名"
    assert client.patch(url, json={"on_shelf": False},
                        headers=operator_headers).json()["on_shelf"] is False


@pytest.mark.parametrize("change", [
    {"title": ""}, {"title": "长" * 121}, {"skus": []},
    {"skus": [{"spec": f"s{i}", "price_fen": 1, "stock": 1} for i in range(51)]},
    {"skus": [{"spec": "a", "price_fen": -1, "stock": 1}]},
    {"skus": [{"spec": "a", "price_fen": 100_000_001, "stock": 1}]},
    {"skus": [{"spec": "a", "price_fen": 1, "stock": 1_000_001}]},
    {"skus": [{"spec": "a", "price_fen": 1, "stock": 1},
              {"spec": "a", "price_fen": 2, "stock": 1}]},
    {"supplier_id": 2**40}, {"images": ["javascript:alert(1)"]}, {"unknown": 1},
])
def test_bad_product_input_is_422_and_creates_nothing(client, operator_headers, supplier_id,
                                                      change):
    response = client.post("/api/v1/products", json=_body(supplier_id, change),
                           headers=operator_headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert (_count(Product), _count(Sku)) == (0, 0)


def test_patch_refuses_null_title(client, operator_headers, supplier_id):
    product = make_product(supplier_id, "原名")
    response = client.patch(f"/api/v1/products/{product.id}", json={"title": None},
                            headers=operator_headers)
    assert response.status_code == 422
    assert client.get(f"/api/v1/products/{product.id}").json()["title"] == "原名"


def test_skus_and_stock_over_http(client, supplier_id):
    own = auth(make_user("supplier", supplier_id=supplier_id))
    product = make_product(supplier_id, prices=(100,), stock=2)

    added = client.post(f"/api/v1/products/{product.id}/skus",
                        json={"spec": "1kg", "price_fen": 180, "stock": 4}, headers=own)
    assert added.status_code == 201
    sku_id = added.json()["id"]
    patched = client.patch(f"/api/v1/skus/{sku_id}", json={"price_fen": 170}, headers=own)
    assert patched.json() == {"id": sku_id, "spec": "1kg", "price_fen": 170, "stock": 4}

    taken = client.post(f"/api/v1/skus/{sku_id}/stock", json={"delta": -4}, headers=own)
    assert taken.json()["stock"] == 0
    refused = client.post(f"/api/v1/skus/{sku_id}/stock", json={"delta": -1}, headers=own)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "insufficient_stock"
    assert client.get(f"/api/v1/products/{product.id}").json()["skus"][1]["stock"] == 0
    assert client.post("/api/v1/skus/999/stock", json={"delta": 1},
                       headers=own).status_code == 404


def test_stock_adjust_with_idempotency_key_replays(client, supplier_id):
    own = auth(make_user("supplier", supplier_id=supplier_id))
    sku_id = make_product(supplier_id, stock=2).skus[0].id
    headers = {**own, "Idempotency-Key": "restock-1"}
    for _ in range(2):
        assert client.post(f"/api/v1/skus/{sku_id}/stock", json={"delta": 3},
                           headers=headers).json()["stock"] == 5


def test_off_shelf_products_are_hidden_from_the_public(client, operator_headers, supplier_id):
    on = make_product(supplier_id, "在售")
    off = make_product(supplier_id, "下架", on_shelf=False)
    own = auth(make_user("supplier", supplier_id=supplier_id))
    other = auth(make_user("supplier", supplier_id=make_supplier("别家")))

    assert [p["id"] for p in client.get("/api/v1/products").json()["items"]] == [on.id]
    assert client.get(f"/api/v1/products/{off.id}").status_code == 404
    assert client.get(f"/api/v1/products/{off.id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/products/{off.id}", headers=own).status_code == 200
    for headers in (own, operator_headers):
        listed = client.get("/api/v1/products?include_off_shelf=true", headers=headers).json()
        assert [p["id"] for p in listed["items"]] == [off.id, on.id]
    only_on = client.get("/api/v1/products?include_off_shelf=true", headers=other).json()
    assert [p["id"] for p in only_on["items"]] == [on.id]
    assert client.get("/api/v1/products?include_off_shelf=true").status_code == 401
    assert client.get("/api/v1/products?include_off_shelf=true",
                      headers=auth(make_user())).status_code == 403


def test_pagination_walks_every_product_exactly_once(client, supplier_id):
    ids = [make_product(supplier_id, f"商品{i}").id for i in range(7)]
    seen, cursor = [], None
    for _ in range(10):
        url = "/api/v1/products?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)


def test_filters_by_category_and_supplier(client, supplier_id):
    other = make_supplier("别家")
    veg = make_product(supplier_id, "上海青", category="蔬菜")
    make_product(supplier_id, "苹果", category="水果")
    theirs = make_product(other, "白菜", category="蔬菜")

    by_cat = client.get("/api/v1/products", params={"category": "蔬菜"}).json()["items"]
    assert [p["id"] for p in by_cat] == [theirs.id, veg.id]
    both = client.get("/api/v1/products", params={"category": "蔬菜", "supplier_id": supplier_id})
    assert [p["id"] for p in both.json()["items"]] == [veg.id]


@pytest.mark.parametrize("query", ["cursor=nonsense!", "cursor=eyJpIjoiYSJ9", "limit=0",
                                   "limit=101", "supplier_id=99999999999", "q=" + "长" * 101])
def test_bad_list_parameters_are_422(client, query):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 422


def test_a_plain_cursor_does_not_fit_a_search(client, supplier_id):
    for i in range(3):
        make_product(supplier_id, f"大米{i}")
    cursor = client.get("/api/v1/products?limit=1").json()["next_cursor"]
    response = client.get(f"/api/v1/products?limit=1&q=大米&cursor={cursor}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_cursor"


def test_unknown_product_is_404(client):
    assert client.get("/api/v1/products/12345").status_code == 404
    assert client.get("/api/v1/products/99999999999").status_code == 422


def test_categories_count_on_shelf_products(client, supplier_id):
    make_product(supplier_id, "a", category="蔬菜")
    make_product(supplier_id, "b", category="蔬菜")
    make_product(supplier_id, "c", category="水果")
    make_product(supplier_id, "d", category="水果", on_shelf=False)
    make_product(supplier_id, "e", category=None)
    assert client.get("/api/v1/categories").json() == {
        "items": [{"name": "蔬菜", "count": 2}, {"name": "水果", "count": 1}]}
