"""Chinese search: matching and ranking on the backend in use (segmentation and query terms
are unit-tested in tests/unit/catalog/test_search_terms.py)."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from quanzi.catalog import queries, search
from quanzi.catalog.queries import ProductFilter
from quanzi.core.db import read_session
from tests.catalog.conftest import make_product
from tests.factories import auth, make_user


def _titles(q: str, limit: int = 20) -> list[str]:
    with read_session() as session:
        page = queries.list_products(session, ProductFilter(q=q), limit=limit)
    return [p.title for p in page.items]


@pytest.fixture
def shelf(supplier_id: int) -> None:
    make_product(supplier_id, "新鲜上海青 500g", category="蔬菜")
    make_product(supplier_id, "上海 大米", category="粮油")
    make_product(supplier_id, "五常大米 5kg", category="粮油")
    make_product(supplier_id, "柳州螺蛳粉 3袋装", category="方便速食")
    make_product(supplier_id, "洗衣凝珠 52颗", category="洗衣用品")


@pytest.mark.usefixtures("shelf")
def test_shanghai_greens_finds_the_greens_and_not_the_rice():
    assert _titles("上海青") == ["新鲜上海青 500g"]


@pytest.mark.usefixtures("shelf")
def test_rice_finds_wuchang_rice():
    assert set(_titles("大米")) == {"上海 大米", "五常大米 5kg"}
    assert _titles("五常大米") == ["五常大米 5kg"]


@pytest.mark.usefixtures("shelf")
def test_category_and_parts_of_words_match():
    assert _titles("方便速食") == ["柳州螺蛳粉 3袋装"]
    assert _titles("螺蛳粉") == ["柳州螺蛳粉 3袋装"]
    assert _titles("凝珠") == ["洗衣凝珠 52颗"]


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize("q", ['"', "*", ":", "(", ")", "OR", "AND", "NOT", "NEAR(a b)",
                               "a:b", "上海青 OR 大米", '"上海青"', "-", "^", "english words",
                               "%_\\", "'; DROP TABLE products; --"])
def test_odd_queries_never_crash(client, q):
    response = client.get("/api/v1/products", params={"q": q})
    assert response.status_code == 200


@pytest.mark.usefixtures("shelf")
def test_quoted_query_still_finds_the_word(client):
    items = client.get("/api/v1/products", params={"q": '"上海青"'}).json()["items"]
    assert [p["title"] for p in items] == ["新鲜上海青 500g"]


def test_title_match_outranks_a_description_match(supplier_id):
    make_product(supplier_id, "东北大米", description="产地直发")  # the older: loses ties
    make_product(supplier_id, "东北珍珠米", description="可以搭配大米一起煮")
    assert _titles("大米") == ["东北大米", "东北珍珠米"]


def test_search_pages_walk_every_hit_once(supplier_id):
    for i in range(7):
        make_product(supplier_id, f"东北大米 {i}号", description="大米" * (i % 3))
    make_product(supplier_id, "苹果")
    seen, cursor = [], None
    with read_session() as session:
        for _ in range(10):
            page = queries.list_products(session, ProductFilter(q="大米"), cursor=cursor, limit=3)
            seen += [p.title for p in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
    assert sorted(seen) == [f"东北大米 {i}号" for i in range(7)]


def test_updates_are_searchable(client, supplier_id):
    headers = auth(make_user("operator"))
    product = make_product(supplier_id, "苹果")
    client.patch(f"/api/v1/products/{product.id}", json={"title": "阳澄湖大闸蟹"}, headers=headers)
    assert _titles("大闸蟹") == ["阳澄湖大闸蟹"]
    assert _titles("苹果") == []


def test_postgres_search_uses_the_gin_index(db):
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with db.write_engine.connect() as conn, Session(bind=conn) as session:
        hits = search.matches(session, ["上海青"])
        sql = select(hits.c.product_id).compile(conn, compile_kwargs={"literal_binds": True})
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(f"EXPLAIN {sql}")).scalars())
    assert "ix_products_search_tokens" in plan
