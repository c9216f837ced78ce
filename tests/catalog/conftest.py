"""Catalog test building blocks: suppliers and products made through the services."""

from dataclasses import dataclass

import pytest

from quanzi.catalog import services
from quanzi.catalog.queries import product_out
from quanzi.catalog.schemas import ProductCreate, ProductOut, SkuCreate, SupplierCreate
from quanzi.core.db import transaction


@dataclass(frozen=True)
class Acting:
    """An actor for calling services directly (the API passes an ``Identity``)."""

    roles: tuple[str, ...]
    supplier_id: int | None = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


OPERATOR = Acting(("operator",))


def make_supplier(name: str = "绿源生鲜", fee_bp: int | None = None) -> int:
    return services.create_supplier(data=SupplierCreate(name=name, fee_bp=fee_bp)).id


def make_product(supplier_id: int, title: str = "新鲜上海青 500g", *, category: str | None = "蔬菜",
                 description: str = "", prices: tuple[int, ...] = (990,), stock: int = 10,
                 on_shelf: bool = True) -> ProductOut:
    data = ProductCreate(supplier_id=supplier_id, title=title, category=category,
                         description=description,
                         skus=[SkuCreate(spec=f"规格{i}", price_fen=p, stock=stock)
                               for i, p in enumerate(prices, 1)])
    with transaction() as session:
        product = services.add_product(session, data)
        product.on_shelf = on_shelf
        session.flush()
        return product_out(product)


@pytest.fixture
def supplier_id() -> int:
    return make_supplier()
