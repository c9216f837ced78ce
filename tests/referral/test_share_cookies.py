"""``POST /orders`` through the one reader of the share cookies (``referral.share_cookies``,
whose reading is unit-tested in tests/unit/referral): a cookie that cannot be a share code
or a visitor id is dropped, never stored."""

from sqlalchemy import func, select

from quanzi.core.db import read_session
from quanzi.referral import services
from quanzi.referral.models import CustomerBinding
from quanzi.referral.schemas import ConfigIn
from tests.factories import auth, make_product, make_supplier, make_user, place
from tests.referral.conftest import approved_promoter, share_product


def test_an_order_with_an_overlong_visitor_cookie_is_still_placed_and_bound(client):
    """Under the binding policy the visitor id is stored with the binding (32 characters at
    most): an overlong cookie used to be written as it came (a 500 on PostgreSQL)."""
    services.save_config(ConfigIn(attribution_policy="binding"))
    promoter = approved_promoter()
    code = share_product(promoter)
    (sku,) = make_product(make_supplier(), [("1kg", 1290, 10)])
    client.cookies.set("qz_share", code)
    client.cookies.set("qz_vid", "v" * 200)

    order = place(client, auth(make_user()), [(sku, 1)])

    assert order["attribution"]["promoter_id"] == promoter.id
    with read_session() as session:
        visitors = session.scalars(select(CustomerBinding.visitor_id)).all()
        assert visitors == [None]
        assert session.scalar(select(func.count(CustomerBinding.id))) == 1
