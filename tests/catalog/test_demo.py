"""The demo catalog: complete, realistic, pictured, and safe to load twice."""

from PIL import Image
from sqlalchemy import func, select

from quanzi.catalog.demo import (
    FRESH,
    HOUSEHOLD,
    SNACKS,
    DemoSummary,
    demo_supplier_ids,
    load_demo,
)
from quanzi.catalog.demo_images import label_for
from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.core.config import get_settings
from quanzi.core.db import read_session


def _counts() -> tuple[int, int, int]:
    with read_session() as session:
        supplier, product, sku = (session.scalar(select(func.count()).select_from(m)) or 0
                                  for m in (Supplier, Product, Sku))
    return supplier, product, sku


def test_loading_twice_creates_everything_once():
    first = load_demo()
    counts = _counts()
    second = load_demo()

    assert first == DemoSummary(suppliers_created=3, products_created=30, skus_created=counts[2],
                                suppliers=3, products=30)
    assert second == DemoSummary(suppliers_created=0, products_created=0, skus_created=0,
                                 suppliers=3, products=30)
    assert _counts() == counts
    assert counts[:2] == (3, 30)


def test_each_supplier_has_ten_products_with_one_to_three_skus():
    load_demo()
    ids = demo_supplier_ids()
    assert set(ids) == {FRESH, SNACKS, HOUSEHOLD}
    with read_session() as session:
        for supplier_id in ids.values():
            products = list(session.scalars(
                select(Product).where(Product.supplier_id == supplier_id)))
            assert len(products) == 10
            assert all(1 <= len(p.skus) <= 3 for p in products)
            assert all(p.category and p.description for p in products)
            assert all(sku.price_fen > 0 and sku.stock > 0 for p in products for sku in p.skus)


def test_pictures_are_600_square_pngs_under_media():
    load_demo()
    with read_session() as session:
        images = [p.images for p in session.scalars(select(Product))]
    assert all(len(urls) == 1 and urls[0].startswith("/media/products/") for urls in images)
    path = get_settings().data_dir / images[0][0].removeprefix("/")
    with Image.open(path) as picture:
        assert (picture.format, picture.size) == ("PNG", (600, 600))


def test_demo_products_are_searchable():
    load_demo()
    with read_session() as session:
        titles = session.scalars(select(Product.title).where(
            Product.search_tokens.contains("螺蛳粉"))).all()
    assert titles == ["柳州螺蛳粉"]


def test_picture_label_is_the_leading_chinese_run():
    assert label_for("五常大米 稻花香") == "五常大米"
    assert label_for("84消毒液") == "消毒液"
    assert label_for("ABC") == ""


def test_supplier_ids_are_empty_before_loading():
    assert demo_supplier_ids() == {}
