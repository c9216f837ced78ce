"""The register and checkout forms say what is wrong in the page's language (Chinese, or
English on English pages), never in pydantic's English, and change nothing."""

import pytest

from quanzi.accounts.models import User
from quanzi.core.db import read_session
from quanzi.orders.models import Order
from tests.factories import ADDRESS, make_user
from tests.web.data import world
from tests.web.helpers import form_post, sign_in

PYDANTIC = ("String should", "Field required", "Value error", "value is not")


def _users() -> int:
    with read_session() as session:
        return session.query(User).count()


def _orders() -> int:
    with read_session() as session:
        return session.query(Order).count()


@pytest.mark.parametrize(("lang", "fields", "says"), [
    ("zh-CN", {"password": "short"}, "密码至少 8 位。"),
    ("en", {"password": "short"}, "The password needs at least 8 characters."),
    ("zh-CN", {"login": "12345"}, "邮箱或手机号：须为中国大陆手机号（11 位，13–19 开头）"),
    ("en", {"login": "12345"},
     "E-mail or phone must be a mainland China mobile number (11 digits starting 13–19)"),
    ("zh-CN", {"name": ""}, "昵称：必填"),
    ("en", {"name": ""}, "Name is required"),
])
def test_register_says_what_is_wrong_in_the_page_language(client, lang, fields, says):
    client.cookies.set("lang", lang)
    before = _users()
    data = {"login": "13800138000", "name": "小王", "password": "long enough", **fields}
    refused = form_post(client, "/register", "/register", data)
    assert refused.status_code == 422
    field = "password" if "password" in fields else next(iter(fields))
    shown = f'id="{"login" if field == "login" else field}-error"'
    assert shown in refused.text and f">{says}</p>" in refused.text.split(shown)[1][:200]
    assert not any(english in refused.text for english in PYDANTIC)
    assert _users() == before


def _checkout(client, lang: str, **address: str):  # type: ignore[no-untyped-def]
    given = world()
    sign_in(client, make_user().email or "")
    client.cookies.set("lang", lang)
    page = f"/checkout?product={given.product_id}&sku={given.sku_id}&qty=1"
    line = f"{given.product_id}-{given.sku_id}-1"
    return form_post(client, page, "/checkout",
                     {"line": line, "key": "k1", "from_cart": "0", **ADDRESS, **address})


@pytest.mark.parametrize(("lang", "address", "says"), [
    ("zh-CN", {"name": ""}, "收货人：必填"),
    ("en", {"name": ""}, "Recipient is required"),
    ("zh-CN", {"phone": "123"}, "手机号：须为中国大陆手机号（11 位，13–19 开头）"),
    ("en", {"phone": "123"},
     "Phone must be a mainland China mobile number (11 digits starting 13–19)"),
])
def test_checkout_says_what_is_wrong_in_the_page_language(client, lang, address, says):
    refused = _checkout(client, lang, **address)
    assert refused.status_code == 422
    assert f'role="alert">{says}<' in refused.text
    assert not any(english in refused.text for english in PYDANTIC)
    assert _orders() == 0


def test_checkout_with_a_good_address_places_the_order(client):
    placed = _checkout(client, "zh-CN")
    assert placed.status_code == 303 and placed.headers["location"].startswith("/sandbox/pay/")
    assert _orders() == 1
