"""收货地址 pages: add (with the API's validation shown in the form), make default, delete,
CSRF, sign-in required, and nobody touches another person's address."""

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn
from quanzi.core.db import read_session
from tests.factories import ADDRESS, make_user
from tests.web.helpers import form_post, sign_in

PAGE = "/me/addresses"
NEW = {"name": "李四", "phone": "+86 139-1234-5678", "region": "北京市 朝阳区",
       "detail": "建国路 1 号"}


def addresses_of(user_id: int) -> list:
    with read_session() as session:
        return accounts.list_addresses(session, user_id)


def test_add_an_address_and_it_is_the_default(client):
    user = make_user()
    sign_in(client, user.email)
    done = form_post(client, PAGE, PAGE, NEW)
    assert done.status_code == 303 and done.headers["location"] == PAGE
    (saved,) = addresses_of(user.id)
    assert (saved.name, saved.phone, saved.is_default) == ("李四", "13912345678", True)
    page = client.get(PAGE).text
    assert "建国路 1 号" in page and "13912345678" in page and "默认" in page


def test_a_bad_phone_is_shown_in_the_form_and_nothing_is_saved(client):
    user = make_user()
    sign_in(client, user.email)
    refused = form_post(client, PAGE, PAGE, {**NEW, "phone": "12345", "detail": ""})
    assert refused.status_code == 422
    assert 'data-testid="form-errors"' in refused.text
    assert "手机号：须为中国大陆手机号" in refused.text and "详细地址：必填" in refused.text
    assert 'value="李四"' in refused.text  # what was typed stays in the form
    assert addresses_of(user.id) == []
    english = client.post(PAGE, data={**NEW, "phone": "010-1234567", "csrf_token": _token(client)},
                          headers={"Accept-Language": "en"})
    assert "Phone" in english.text and "mainland China mobile number" in english.text


def _token(client) -> str:
    from tests.web.helpers import csrf_of

    return csrf_of(client.get(PAGE).text)


def test_make_default_and_delete(client):
    user = make_user()
    first = accounts.add_address(user.id, AddressIn(**ADDRESS))
    second = accounts.add_address(user.id, AddressIn(**NEW))
    sign_in(client, user.email)
    assert form_post(client, PAGE, f"{PAGE}/{second.id}/default").status_code == 303
    assert {a.id: a.is_default for a in addresses_of(user.id)} == {first.id: False,
                                                                   second.id: True}
    assert form_post(client, PAGE, f"{PAGE}/{second.id}/delete").status_code == 303
    assert [(a.id, a.is_default) for a in addresses_of(user.id)] == [(first.id, True)]


def test_csrf_is_required_and_signed_out_visitors_sign_in(client):
    user = make_user()
    mine = accounts.add_address(user.id, AddressIn(**ADDRESS))
    away = client.get(PAGE, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/login?next=/me/addresses"
    sign_in(client, user.email)
    assert client.post(PAGE, data=NEW).status_code == 403
    assert client.post(f"{PAGE}/{mine.id}/delete").status_code == 403
    assert [a.id for a in addresses_of(user.id)] == [mine.id]


def test_nobody_deletes_another_persons_address(client):
    owner = make_user()
    theirs = accounts.add_address(owner.id, AddressIn(**ADDRESS))
    sign_in(client, make_user().email)
    assert form_post(client, PAGE, f"{PAGE}/{theirs.id}/delete").status_code == 404
    assert form_post(client, PAGE, f"{PAGE}/{theirs.id}/default").status_code == 404
    assert [a.id for a in addresses_of(owner.id)] == [theirs.id]


def test_added_from_checkout_goes_back_to_checkout(client):
    user = make_user()
    sign_in(client, user.email)
    back = "/checkout?product=1&sku=2&qty=1"
    page = client.get(PAGE, params={"next": back}).text
    assert f'value="{back.replace("&", "&amp;")}"' in page
    done = form_post(client, PAGE, PAGE, {**NEW, "next": back})
    assert done.headers["location"] == back
    evil = form_post(client, PAGE, PAGE, {**NEW, "next": "//evil.example/x"})
    assert evil.headers["location"] == "/"
