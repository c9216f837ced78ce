"""Catalog use cases: suppliers, products, SKUs and stock, straight through the services."""

import pytest
from sqlalchemy import func, select

from quanzi.catalog import services
from quanzi.catalog.models import Product, Sku, Supplier
from quanzi.catalog.schemas import (
    ProductCreate,
    ProductUpdate,
    SkuCreate,
    SkuUpdate,
    SupplierCreate,
    SupplierUpdate,
)
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.catalog.conftest import OPERATOR, Acting, make_product, make_supplier


def _count(model: type) -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _stock(sku_id: int) -> int:
    with read_session() as session:
        return session.scalar(select(Sku.stock).where(Sku.id == sku_id)) or 0


def test_create_supplier_defaults_fee_and_refuses_duplicate_name():
    first = services.create_supplier(data=SupplierCreate(name="绿源生鲜"))
    assert (first.name, first.fee_bp) == ("绿源生鲜", 500)

    with pytest.raises(Conflict) as err:
        services.create_supplier(data=SupplierCreate(name="绿源生鲜", fee_bp=300))
    assert err.value.code == "supplier_exists"
    assert _count(Supplier) == 1


def test_update_supplier_changes_only_given_fields():
    supplier_id = make_supplier("好味零食铺", fee_bp=800)
    updated = services.update_supplier(supplier_id=supplier_id, data=SupplierUpdate(fee_bp=250))
    assert (updated.name, updated.fee_bp) == ("好味零食铺", 250)
    with pytest.raises(NotFound):
        services.update_supplier(supplier_id=999, data=SupplierUpdate(fee_bp=1))


def test_create_product_stores_skus_and_search_tokens(supplier_id):
    product = services.create_product(actor=OPERATOR, data=ProductCreate(
        supplier_id=supplier_id, title="五常大米", category="粮油", description="当季新米",
        skus=[SkuCreate(spec="5kg", price_fen=6990, stock=10),
              SkuCreate(spec="10kg", price_fen=12900, stock=5)]))

    assert [(s.spec, s.price_fen, s.stock) for s in product.skus] == [
        ("5kg", 6990, 10), ("10kg", 12900, 5)]
    assert product.price_from_fen == 6990
    assert (product.on_shelf, product.sold_count) == (True, 0)
    with read_session() as session:
        tokens = session.scalar(select(Product.search_tokens).where(Product.id == product.id))
    assert tokens == "五常 大米 五常大米 粮油 当季 新米"


def test_create_product_for_unknown_supplier_is_422_and_creates_nothing():
    with pytest.raises(InvalidInput) as err:
        services.create_product(actor=OPERATOR, data=ProductCreate(
            supplier_id=77, title="x", skus=[SkuCreate(spec="1", price_fen=1, stock=1)]))
    assert err.value.code == "unknown_supplier"
    assert (_count(Product), _count(Sku)) == (0, 0)


def test_update_product_reindexes_text_changes(supplier_id):
    product = make_product(supplier_id, "上海 大米")
    services.update_product(actor=OPERATOR, product_id=product.id,
                            data=ProductUpdate(title="新鲜上海青"))
    with read_session() as session:
        tokens = session.scalar(select(Product.search_tokens).where(Product.id == product.id))
    assert tokens == "新鲜 上海 上海青 蔬菜"


def test_update_product_clears_category_only_when_asked(supplier_id):
    product = make_product(supplier_id, category="蔬菜")
    kept = services.update_product(actor=OPERATOR, product_id=product.id,
                                   data=ProductUpdate(on_shelf=False))
    assert (kept.on_shelf, kept.category) == (False, "蔬菜")
    cleared = services.update_product(actor=OPERATOR, product_id=product.id,
                                      data=ProductUpdate.model_validate({"category": None}))
    assert cleared.category is None


def test_add_sku_refuses_a_duplicate_spec(supplier_id):
    product = make_product(supplier_id, prices=(100,))
    sku = services.add_sku(actor=OPERATOR, product_id=product.id,
                           data=SkuCreate(spec="1kg", price_fen=1800, stock=3))
    assert (sku.spec, sku.price_fen, sku.stock) == ("1kg", 1800, 3)

    with pytest.raises(Conflict) as err:
        services.add_sku(actor=OPERATOR, product_id=product.id,
                         data=SkuCreate(spec="1kg", price_fen=1, stock=1))
    assert err.value.code == "duplicate_spec"
    assert _count(Sku) == 2


def test_update_sku_changes_spec_and_price_not_stock(supplier_id):
    sku = make_product(supplier_id, prices=(100,), stock=7).skus[0]
    updated = services.update_sku(actor=OPERATOR, sku_id=sku.id,
                                  data=SkuUpdate(spec="2kg", price_fen=250))
    assert (updated.spec, updated.price_fen, updated.stock) == ("2kg", 250, 7)


def test_adjust_stock_moves_by_delta_and_never_below_zero(supplier_id):
    sku = make_product(supplier_id, stock=5).skus[0]
    assert services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=-5).stock == 0

    with pytest.raises(Conflict) as err:
        services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=-1)
    assert err.value.code == "insufficient_stock"
    assert _stock(sku.id) == 0
    assert services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=12).stock == 12


def test_adjust_stock_refuses_to_pass_the_ceiling(supplier_id):
    sku = make_product(supplier_id, stock=999_999).skus[0]
    with pytest.raises(Conflict) as err:
        services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=2)
    assert err.value.code == "stock_limit"
    assert _stock(sku.id) == 999_999


def test_adjust_stock_with_a_key_applies_once(supplier_id):
    sku = make_product(supplier_id, stock=5).skus[0]
    first = services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=3, idempotency_key="k1")
    again = services.adjust_stock(actor=OPERATOR, sku_id=sku.id, delta=3, idempotency_key="k1")
    assert first.stock == again.stock == 8
    assert _stock(sku.id) == 8


def test_supplier_staff_manage_only_their_own(supplier_id):
    product = make_product(make_supplier("别家"))
    staff = Acting(("consumer", "supplier"), supplier_id=supplier_id)

    with pytest.raises(Forbidden):
        services.update_product(actor=staff, product_id=product.id,
                                data=ProductUpdate(title="改名"))
    with pytest.raises(Forbidden):
        services.adjust_stock(actor=staff, sku_id=product.skus[0].id, delta=1)
    assert _stock(product.skus[0].id) == 10
    own = make_product(supplier_id)
    assert services.adjust_stock(actor=staff, sku_id=own.skus[0].id, delta=1).stock == 11
