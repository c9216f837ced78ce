"""The supplier console's row forms: a refusal shows the console again with the reason
under the row's field and what was typed, not an error page."""

from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from tests.web import order_data as od
from tests.web.helpers import form_post, sign_in


def test_a_stock_change_below_zero_is_said_under_its_row(client):
    seller = od.shop("果园")
    sign_in(client, seller.staff.email or "")
    refused = form_post(client, "/supplier", f"/supplier/skus/{seller.sku_id}/stock",
                        {"delta": "-9999", "key": "k1"})
    assert refused.status_code in (409, 422)
    row = refused.text.split(f'action="/supplier/skus/{seller.sku_id}/stock"')[1][:1500]
    assert 'value="-9999"' in row and f'aria-describedby="delta-{seller.sku_id}-error"' in row
    assert f'id="delta-{seller.sku_id}-error"' in row
    with read_session() as session:
        assert session.get_one(Sku, seller.sku_id).stock == 500


def test_a_bad_tracking_number_is_said_under_it(client):
    seller = od.shop("茶园")
    order_id = od.order(seller, "paid")
    sign_in(client, seller.staff.email or "")
    refused = form_post(client, "/supplier", f"/supplier/orders/{order_id}/ship",
                        {f"carrier-{order_id}": "顺丰", f"tracking_no-{order_id}": "#"})
    assert refused.status_code == 422
    row = refused.text.split(f'data-testid="to-ship-{order_id}"')[1][:3000]
    assert 'value="#"' in row and f'id="tracking_no-{order_id}-error"' in row
