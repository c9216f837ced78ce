"""The product list and product pages render, price in yuan, and 404 kindly."""

import re

import pytest

from tests.catalog.conftest import make_product


@pytest.fixture
def greens(supplier_id: int):  # type: ignore[no-untyped-def]
    return make_product(supplier_id, "新鲜上海青", category="蔬菜", prices=(390, 690),
                        description="清晨采摘")


def test_list_page_shows_cards_with_yuan_prices(client, greens):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text
    assert 'name="viewport"' in response.text
    assert f'href="/p/{greens.id}"' in response.text
    assert "¥3.90" in response.text
    assert "蔬菜" in response.text


def test_list_page_searches_and_filters(client, greens, supplier_id):
    make_product(supplier_id, "五常大米", category="粮油", prices=(6990,))
    found = client.get("/", params={"q": "大米"}).text
    assert "五常大米" in found and "新鲜上海青" not in found
    filtered = client.get("/", params={"category": "蔬菜"}).text
    assert "新鲜上海青" in filtered and "五常大米" not in filtered
    assert "没有找到" in client.get("/", params={"q": "。。。"}).text


def test_list_page_paginates_with_next_cursor(client, supplier_id):
    for i in range(21):
        make_product(supplier_id, f"商品{i:02d}")
    first = client.get("/").text
    assert "商品20" in first and "商品00" not in first
    href = re.search(r'href="([^"]*)">下一页', first).group(1).replace("&amp;", "&")
    second = client.get(href).text
    assert "商品00" in second and "下一页" not in second


def test_list_page_ignores_a_bad_cursor(client, greens):
    response = client.get("/", params={"cursor": "garbage"})
    assert response.status_code == 200
    assert "新鲜上海青" in response.text


def test_product_page_lists_skus_and_open_graph(client, greens):
    response = client.get(f"/p/{greens.id}")
    assert response.status_code == 200
    page = response.text
    assert "<h1 class=\"product-title\">新鲜上海青</h1>" in page
    assert "¥3.90" in page and "¥6.90" in page
    assert '<meta property="og:title" content="新鲜上海青">' in page
    assert '<meta property="og:description" content="¥3.90起 · 清晨采摘">' in page


def test_user_text_is_escaped(client, supplier_id):
    evil = make_product(supplier_id, "<script>alert(1)</script>", description="<b>x</b>")
    page = client.get(f"/p/{evil.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;" in page


@pytest.mark.parametrize("path", ["/p/999", "/p/abc", "/p/0", "/p/99999999999999", "/p/-1"])
def test_unknown_products_get_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "这里什么都没有" in response.text


def test_off_shelf_product_page_is_404(client, supplier_id):
    hidden = make_product(supplier_id, "下架商品", on_shelf=False)
    assert client.get(f"/p/{hidden.id}").status_code == 404
    assert "下架商品" not in client.get("/").text


def test_stylesheet_is_served(client):
    response = client.get("/static/quanzi.css")
    assert response.status_code == 200
    assert "http" not in response.text
