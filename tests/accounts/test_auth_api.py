"""Registration, login and /me over HTTP."""

from datetime import timedelta

from quanzi.accounts import services as accounts
from quanzi.core import clock
from quanzi.core.config import get_settings
from tests.factories import PASSWORD, auth, make_user, snapshot


def test_register_by_phone_then_login_and_me(client):
    response = client.post("/api/v1/auth/register",
                           json={"phone": "+86 138-0013-8000", "password": PASSWORD,
                                 "name": "小王"})
    assert response.status_code == 201
    assert response.json()["roles"] == ["consumer"]

    login = client.post("/api/v1/auth/login", json={"login": "13800138000", "password": PASSWORD})
    assert login.status_code == 200
    token = login.json()["access_token"]
    assert login.json()["token_type"] == "bearer"

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["name"] == "小王"
    assert me.json()["phone"] == "13800138000"


def test_register_refuses_non_mainland_phone(client):
    before = snapshot()
    response = client.post("/api/v1/auth/register",
                           json={"phone": "12345", "password": PASSWORD, "name": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert snapshot() == before


def test_register_needs_email_or_phone(client):
    before = snapshot()
    response = client.post("/api/v1/auth/register", json={"password": PASSWORD, "name": "x"})
    assert response.status_code == 422
    assert snapshot() == before


def test_duplicate_email_is_409_and_creates_nothing(client):
    body = {"email": "a@example.cn", "password": PASSWORD, "name": "a"}
    assert client.post("/api/v1/auth/register", json=body).status_code == 201
    before = snapshot()
    again = client.post("/api/v1/auth/register", json={**body, "email": "A@example.cn"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_registered"
    assert snapshot() == before


def test_wrong_password_is_401(client):
    user = make_user()
    before = snapshot()
    response = client.post("/api/v1/auth/login",
                           json={"login": "consumer999@example.cn", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/v1/auth/login", json={"login": user.email, "password": "nope"})
    assert wrong.status_code == 401
    assert snapshot() == before  # no token issued


def test_me_without_token_is_401_and_with_bad_token_too(client):
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_token"


def test_logout_revokes_the_token(client):
    headers = auth(make_user())
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_token_stops_working_when_it_expires_or_its_user_is_disabled(client):
    user = make_user()
    headers = auth(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(get_settings().token_ttl + timedelta(seconds=1))
    expired = client.get("/api/v1/me", headers=headers)
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "invalid_token")
    clock.reset()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    accounts.set_active(user.email, False)  # the cached sign-in is dropped at once
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    refused = client.post("/api/v1/auth/login", json={"login": user.email, "password": PASSWORD})
    assert refused.status_code == 401
    accounts.set_active(user.email, True)  # may sign in again; the old token stays revoked
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=auth(user)).status_code == 200


def test_addresses_first_is_default_and_default_moves(client):
    headers = auth(make_user())
    body = {"name": "张三", "phone": "13900001111", "region": "上海市 浦东新区",
            "detail": "世纪大道 1 号"}
    first = client.post("/api/v1/me/addresses", json=body, headers=headers).json()
    second = client.post("/api/v1/me/addresses", json=body, headers=headers).json()
    assert first["is_default"] is True and second["is_default"] is False
    client.post(f"/api/v1/me/addresses/{second['id']}/default", headers=headers)
    listed = client.get("/api/v1/me/addresses", headers=headers).json()["items"]
    assert [(a["id"], a["is_default"]) for a in listed] == [(second["id"], True),
                                                            (first["id"], False)]


def test_someone_elses_address_is_404(client):
    mine = auth(make_user())
    body = {"name": "张三", "phone": "13900001111", "region": "上海市", "detail": "1 号"}
    address = client.post("/api/v1/me/addresses", json=body, headers=mine).json()
    other = auth(make_user())
    before = snapshot()
    assert client.delete(f"/api/v1/me/addresses/{address['id']}", headers=other).status_code == 404
    assert snapshot() == before
    kept = client.get("/api/v1/me/addresses", headers=mine).json()["items"]
    assert [a["id"] for a in kept] == [address["id"]]
