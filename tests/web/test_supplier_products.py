"""The supplier console's products through the forms: create with SKUs, edit, SKU price
and spec, add a SKU; refusals shown with nothing changed; CSRF; roles; own goods only."""

from sqlalchemy import func, select

from quanzi.catalog.models import Product, Sku
from quanzi.core.db import read_session
from tests.factories import make_product, make_supplier, make_user
from tests.web.helpers import form_post, sign_in

LIST = "/supplier/products"
NEW = {"title": "高山云雾茶", "category": "茶叶", "description": "明前采摘",
       "spec_0": "250g", "price_0": "88.50", "stock_0": "40",
       "spec_1": "500g", "price_1": "168", "stock_1": "10"}


def product_count() -> int:
    with read_session() as session:
        return int(session.scalar(select(func.count()).select_from(Product)) or 0)


def skus_of(product_id: int) -> list[tuple[str, int, int]]:
    with read_session() as session:
        rows = session.scalars(select(Sku).where(Sku.product_id == product_id).order_by(Sku.id))
        return [(s.spec, s.price_fen, s.stock) for s in rows]


def staff(client) -> int:  # type: ignore[no-untyped-def]
    supplier_id = make_supplier("茶园")
    sign_in(client, make_user("supplier", supplier_id=supplier_id).email)
    return supplier_id


def test_a_supplier_creates_a_product_with_skus_and_it_is_in_the_shop(client):
    supplier_id = staff(client)
    done = form_post(client, LIST, LIST, NEW)
    assert done.status_code == 303
    product_id = int(done.headers["location"].rsplit("/", 1)[1])
    with read_session() as session:
        product = session.get_one(Product, product_id)
        assert (product.supplier_id, product.title, product.category, product.on_shelf) == (
            supplier_id, "高山云雾茶", "茶叶", True)
    assert skus_of(product_id) == [("250g", 8850, 40), ("500g", 16800, 10)]
    assert "高山云雾茶" in client.get(LIST).text
    assert "¥88.50" in client.get(f"/p/{product_id}").text


def test_refused_input_is_shown_in_the_form_and_creates_nothing(client):
    staff(client)
    refused = form_post(client, LIST, LIST, {**NEW, "title": "", "price_0": "八十",
                                             "spec_1": "250g"})
    assert refused.status_code == 422
    assert "商品名称：必填" in refused.text and "价格（元）：须为数字" in refused.text
    assert 'value="八十"' in refused.text
    duplicate = form_post(client, LIST, LIST, {**NEW, "spec_1": "250g"})
    assert duplicate.status_code == 422 and "规格：规格不能重复" in duplicate.text
    no_sku = form_post(client, LIST, LIST, {"title": "空", "spec_0": "", "price_0": ""})
    assert no_sku.status_code == 422 and "至少填写一项" in no_sku.text
    assert product_count() == 0


def test_edit_the_product_a_sku_and_add_a_sku(client):
    supplier_id = staff(client)
    (sku_id,) = make_product(supplier_id, [("1kg", 1000, 5)], title="旧名")
    product_id = _product_of(sku_id)
    page = f"{LIST}/{product_id}"
    assert "旧名" in client.get(page).text
    saved = form_post(client, page, page, {"title": "新名", "description": "好喝",
                                           "category": "", "images": ""})
    assert saved.status_code == 303
    with read_session() as session:
        product = session.get_one(Product, product_id)
        assert (product.title, product.description, product.category, product.on_shelf) == (
            "新名", "好喝", None, False)  # the box left unticked takes it off the shelf
    assert form_post(client, page, f"/supplier/skus/{sku_id}",
                     {"product_id": product_id, "spec": "1.5kg", "price": "12.3"}
                     ).status_code == 303
    assert form_post(client, page, f"{page}/skus",
                     {"spec": "2kg", "price": "20", "stock": "7"}).status_code == 303
    assert skus_of(product_id) == [("1.5kg", 1230, 5), ("2kg", 2000, 7)]
    same = form_post(client, page, f"{page}/skus", {"spec": "2kg", "price": "1", "stock": "1"})
    assert same.status_code == 409 and "这个商品已有同名规格" in same.text
    bad = form_post(client, page, f"/supplier/skus/{sku_id}",
                    {"product_id": product_id, "spec": "1.5kg", "price": "-3"})
    assert bad.status_code == 422
    assert skus_of(product_id) == [("1.5kg", 1230, 5), ("2kg", 2000, 7)]


def test_a_supplier_cannot_touch_another_suppliers_product(client):
    (theirs,) = make_product(make_supplier("别家"), [("1kg", 1000, 5)], title="别家的货")
    product_id = _product_of(theirs)
    staff(client)
    assert "别家的货" not in client.get(LIST).text
    assert client.get(f"{LIST}/{product_id}").status_code == 403
    assert form_post(client, LIST, f"{LIST}/{product_id}", {"title": "抢来的"}).status_code == 403
    assert form_post(client, LIST, f"/supplier/skus/{theirs}",
                     {"product_id": product_id, "spec": "x", "price": "1"}).status_code == 403
    assert form_post(client, LIST, f"{LIST}/{product_id}/skus",
                     {"spec": "x", "price": "1", "stock": "1"}).status_code == 403
    other = make_supplier("第三家")
    assert form_post(client, LIST, LIST, {**NEW, "supplier_id": other}).status_code == 303
    with read_session() as session:
        assert session.get_one(Product, product_id).title == "别家的货"
        assert session.scalar(select(func.count()).select_from(Product)
                              .where(Product.supplier_id == other)) == 0
    assert skus_of(product_id) == [("1kg", 1000, 5)]


def test_csrf_required_and_consumers_are_refused(client):
    supplier_id = make_supplier()
    sign_in(client, make_user("supplier", supplier_id=supplier_id).email)
    assert client.post(LIST, data=NEW).status_code == 403
    assert product_count() == 0
    client.cookies.clear()
    assert client.get(LIST, follow_redirects=False).headers["location"].startswith("/login")
    sign_in(client, make_user().email)
    assert client.get(LIST).status_code == 403
    assert form_post(client, "/", LIST, NEW).status_code == 403
    assert product_count() == 0


def test_an_operator_creates_for_a_chosen_supplier(client):
    supplier_id = make_supplier("果园")
    sign_in(client, make_user("operator").email)
    assert "果园" in client.get(LIST).text
    done = form_post(client, LIST, LIST, {**NEW, "supplier_id": supplier_id})
    assert done.status_code == 303
    with read_session() as session:
        assert session.scalar(select(Product.supplier_id)) == supplier_id


def _product_of(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id
