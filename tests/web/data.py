"""The people and goods the browser tests start from, made through the services."""

from dataclasses import dataclass

from quanzi.core.db import read_session
from quanzi.referral import services as referral
from quanzi.referral.models import Promoter
from tests.factories import PASSWORD, make_product, make_supplier, make_user

__all__ = ["PASSWORD", "World", "world"]


@dataclass(frozen=True)
class World:
    operator: str
    supplier: str
    promoter: str
    promoter_id: int
    product_id: int
    sku_id: int


def world() -> World:
    """An operator, a supplier with one product (¥50.00, 20 in stock), an approved promoter."""
    operator = make_user("operator")
    supplier_id = make_supplier("鲜果园")
    (sku_id,) = make_product(supplier_id, [("2kg", 5000, 20)], title="赣南脐橙", category="水果")
    supplier = make_user("supplier", supplier_id=supplier_id)
    promoter = make_user(name="小美")
    applied = referral.apply(user_id=promoter.id)
    referral.approve(operator_id=operator.id, promoter_id=applied.id)
    with read_session() as session:
        assert session.get(Promoter, applied.id).status == "approved"  # type: ignore[union-attr]
    return World(operator.email or "", supplier.email or "", promoter.email or "",
                 promoter.id, _product_of(sku_id), sku_id)


def _product_of(sku_id: int) -> int:
    from quanzi.catalog.models import Sku

    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id
