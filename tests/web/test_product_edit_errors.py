"""The supplier's product edit page: a refused form comes back as typed, its reasons under
its own fields (the other forms of the page as they were)."""

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from tests.web import order_data as od
from tests.web.helpers import form_post, sign_in


def test_a_refused_sku_shows_its_reason_under_its_price(client):
    seller = od.shop("茶园")
    with read_session() as session:
        sku = session.get_one(Sku, seller.sku_id)
        product_id, spec = sku.product_id, sku.spec
    sign_in(client, seller.staff.email or "")
    page = f"/supplier/products/{product_id}"
    refused = form_post(client, page, f"/supplier/skus/{seller.sku_id}",
                        {"product_id": product_id, "spec": "大箱", "price": "三十"})
    assert refused.status_code == 422
    form = refused.text.split(f'data-testid="sku-{seller.sku_id}"')[1]
    assert 'value="大箱"' in form and 'value="三十"' in form
    assert f'aria-describedby="sku{seller.sku_id}-price-error"' in form
    assert f'id="sku{seller.sku_id}-price-error"' in form[:2000]
    added = form_post(client, page, f"/supplier/products/{product_id}/skus",
                      {"spec": spec, "price": "12"})
    assert added.status_code == 409 and 'id="new-spec-error"' in added.text
    assert "1箱" in added.text.split('id="new-spec-error"')[1][:200]
