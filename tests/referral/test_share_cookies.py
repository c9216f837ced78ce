"""The one reader of the share cookies (``referral.share_cookies``) and ``POST /orders``
through it: a cookie that cannot be a share code or a visitor id is dropped, never stored."""

import pytest
from sqlalchemy import func, select

from quanzi.core.db import read_session
from quanzi.referral import services
from quanzi.referral.models import CustomerBinding
from quanzi.referral.schemas import ConfigIn
from quanzi.referral.share_cookies import Origin, from_cookie_header
from tests.factories import auth, make_product, make_supplier, make_user, place
from tests.referral.conftest import approved_promoter, share_product


def test_both_cookies_are_read_among_others():
    header = "lang=en; qz_vid=AbCdEf123456; qz_session=xyz; qz_share=K7dQ2mXa9Z"
    assert from_cookie_header(header) == Origin("K7dQ2mXa9Z", "AbCdEf123456")


@pytest.mark.parametrize("header", ["", "lang=en", "qz_share=", "qz_share=../../etc",
                                    'qz_share="K7dQ2mXa9Z', "qz_share=" + "a" * 17,
                                    "qz_vid=short", "qz_vid=" + "v" * 33, "qz_vid=a b c d e f g",
                                    "qz_vid=\x00\x00\x00\x00\x00\x00\x00\x00"])
def test_what_cannot_be_a_code_or_a_visitor_is_none(header):
    assert from_cookie_header(header) == Origin()


def test_the_request_s_code_wins_over_the_cookie_s():
    cookies = from_cookie_header("qz_share=K7dQ2mXa9Z; qz_vid=AbCdEf123456")
    assert cookies.with_code("Zz9Zz9Zz9Z") == Origin("Zz9Zz9Zz9Z", "AbCdEf123456")
    assert cookies.with_code(None) == cookies


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
