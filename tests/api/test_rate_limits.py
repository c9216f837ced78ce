"""Rate limits (OWASP API4): sign-ins per account and per address, registrations per
address, bargain helps and flash buys per user, refused payment callbacks per address.

A limited request is a 429 with Retry-After and the error shape, and changes nothing.
The ``rate_limits_on`` fixture switches the limits on with small values (on Redis in
the run with Redis, else in memory); the rest of the suite runs with them off.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from quanzi.accounts.models import AuthToken, User
from quanzi.app import create_app
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.models import BargainHelp, FlashReservation
from quanzi.core import rate_limits
from quanzi.core.db import Base, read_session
from quanzi.payments.models import CallbackLog
from quanzi.payments.providers import SandboxProvider
from tests import backends
from tests.api.conftest import World, new_key
from tests.api.test_access import _fresh_caches  # noqa: F401  (no sale's Redis keys left over)
from tests.factories import ADDRESS, PASSWORD, make_user
from tests.web.helpers import csrf_of

LOGIN, REGISTER = "/api/v1/auth/login", "/api/v1/auth/register"
CALLBACK = "/api/v1/payments/sandbox/callback"


@pytest.fixture
def other_client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client from another address than ``client``."""
    with TestClient(app, client=("203.0.113.7", 50000)) as other:
        yield other


def _count(table: type[Base]) -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _limited(response, window: int = 60) -> int:  # type: ignore[no-untyped-def]
    """Assert ``response`` is the rate limit's refusal; its Retry-After seconds."""
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    wait = int(response.headers["retry-after"])
    assert 0 < wait <= window
    return wait


def test_the_sixth_sign_in_to_one_account_in_a_minute_is_429(client, other_client,
                                                             rate_limits_on):
    rate_limits_on(login="5/minute", login_ip="100/minute")
    ann, bob = make_user(), make_user()
    for password in (PASSWORD, "wrong-horse-9", PASSWORD, "wrong-horse-9", PASSWORD):
        client.post(LOGIN, json={"login": ann.email, "password": password})
    tokens = _count(AuthToken)

    _limited(client.post(LOGIN, json={"login": ann.email, "password": PASSWORD}))
    _limited(other_client.post(LOGIN, json={"login": ann.email.upper(), "password": PASSWORD}))

    assert _count(AuthToken) == tokens == 3
    assert client.post(LOGIN, json={"login": bob.email, "password": PASSWORD}).status_code == 200


def test_sign_ins_from_one_address_are_limited_whatever_the_account(client, other_client,
                                                                    rate_limits_on):
    rate_limits_on(login="5/minute", login_ip="3/minute")
    users = [make_user() for _ in range(4)]
    for user in users[:3]:
        login = {"login": user.email, "password": PASSWORD}
        assert client.post(LOGIN, json=login).status_code == 200
    _limited(client.post(LOGIN, json={"login": users[3].email, "password": PASSWORD}))
    assert other_client.post(LOGIN, json={"login": users[3].email,
                                          "password": PASSWORD}).status_code == 200


def test_registrations_are_limited_per_address(client, other_client, rate_limits_on):
    rate_limits_on(register="2/hour")
    for n in range(2):
        assert client.post(REGISTER, json={"email": f"new{n}@example.cn", "password": PASSWORD,
                                           "name": "新朋友"}).status_code == 201
    wait = _limited(client.post(REGISTER, json={"email": "new2@example.cn",
                                                "password": PASSWORD, "name": "新朋友"}),
                    window=3600)
    assert wait > 3500  # the first registration leaves the window in about an hour
    assert _count(User) == 2
    assert other_client.post(REGISTER, json={"email": "new3@example.cn", "password": PASSWORD,
                                             "name": "新朋友"}).status_code == 201


def test_bargain_helps_are_limited_per_helper(client, rate_limits_on):
    rate_limits_on(help="1/minute")
    world = World()
    other_run = campaigns.start_bargain(bargain_id=world.bargain_id,
                                        user_id=world.users["promoter"].id).bargain_run_id
    helper = world.headers["stranger"]
    first = client.post(f"/api/v1/bargain-runs/{world.run_id}/help", headers=helper)
    assert first.status_code == 200, first.text
    _limited(client.post(f"/api/v1/bargain-runs/{other_run}/help", headers=helper))
    assert _count(BargainHelp) == 1
    another = client.post(f"/api/v1/bargain-runs/{other_run}/help",
                          headers=world.headers["leader"])
    assert another.status_code == 200


def test_flash_buys_are_limited_per_buyer_on_the_hot_route(client, rate_limits_on):
    rate_limits_on(flash_buy="2/minute")
    world = World()
    url = f"/api/v1/flash-sales/{world.sale_id}/buy"
    buyer = world.headers["buyer"]
    for _ in range(2):
        response = client.post(url, json={"quantity": 1, "address": ADDRESS},
                               headers={**buyer, "Idempotency-Key": new_key()})
        assert response.status_code == 201, response.text
    _limited(client.post(url, json={"quantity": 1, "address": ADDRESS},
                         headers={**buyer, "Idempotency-Key": new_key()}))
    assert _count(FlashReservation) == 2
    response = client.post(url, json={"quantity": 1, "address": ADDRESS},
                           headers={**world.headers["stranger"], "Idempotency-Key": new_key()})
    assert response.status_code == 201


def test_the_hot_route_s_redis_client_is_closed_when_the_server_stops(app, rate_limits_on):
    from quanzi.core import rate_limits_aio

    backends.require_redis()
    rate_limits_on(flash_buy="5/minute")
    world = World()
    with TestClient(app) as client:
        response = client.post(f"/api/v1/flash-sales/{world.sale_id}/buy",
                               json={"quantity": 1, "address": ADDRESS},
                               headers={**world.headers["buyer"], "Idempotency-Key": new_key()})
        assert response.status_code == 201
        assert len(rate_limits_aio._windows) == 1  # this server's loop made a client

    assert rate_limits_aio._windows == {}  # and closed it at shutdown


def test_refused_callbacks_are_limited_per_address_and_write_nothing_more(client, other_client,
                                                                          rate_limits_on):
    rate_limits_on(callback="2/minute")
    forged = {"x-sandbox-timestamp": "1", "x-sandbox-signature": "0" * 64}
    for _ in range(2):
        assert client.post(CALLBACK, content=b"{}", headers=forged).status_code == 400
    _limited(client.post(CALLBACK, content=b"x" * 50_000, headers=forged))
    assert _count(CallbackLog) == 2
    assert other_client.post(CALLBACK, content=b"{}", headers=forged).status_code == 400


def test_a_refused_callback_keeps_only_the_start_of_its_body(client):
    forged = {"x-sandbox-timestamp": "1", "x-sandbox-signature": "0" * 64}
    assert client.post(CALLBACK, content=b"y" * 60_000, headers=forged).status_code == 400
    with read_session() as session:
        assert len(session.scalars(select(CallbackLog.body)).one()) == 256


def test_an_oversized_callback_is_413_before_it_is_read_or_logged(client):
    forged = {"x-sandbox-timestamp": "1", "x-sandbox-signature": "0" * 64}
    response = client.post(CALLBACK, content=b"z" * 70_000, headers=forged)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"z" * 1000

    assert client.post(CALLBACK, content=chunks(), headers=forged).status_code == 413
    assert _count(CallbackLog) == 0


def test_a_valid_callback_still_pays_while_forgeries_are_refused(client, rate_limits_on):
    """Signed notifications never count against the limit."""
    rate_limits_on(callback="1/minute")
    world = World()
    for _ in range(3):
        signed, body = SandboxProvider().signed_callback(payment_id=world.payment_id,
                                                         amount_fen=world.unpaid["amount_fen"])
        assert client.post(CALLBACK, content=body, headers=signed).status_code == 200


def test_the_login_page_says_so_in_chinese(client, rate_limits_on):
    rate_limits_on(login="1/minute")
    user = make_user()
    token = csrf_of(client.get("/login").text)
    form = {"login": user.email, "password": "wrong-horse-9", "csrf_token": token}
    assert client.post("/login", data=form).status_code == 401
    response = client.post("/login", data=form)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "操作太频繁，请" in response.text and "秒后再试" in response.text


def test_off_switches_every_limit_off(client, rate_limits_on, monkeypatch):
    rate_limits_on(login="1/minute", login_ip="1/minute", register="1/hour")
    monkeypatch.setenv("QUANZI_RATE_LIMITS", "off")
    rate_limits.reset()
    user = make_user()
    for n in range(3):
        login = {"login": user.email, "password": PASSWORD}
        assert client.post(LOGIN, json=login).status_code == 200
        assert client.post(REGISTER, json={"email": f"x{n}@example.cn", "password": PASSWORD,
                                           "name": "x"}).status_code == 201


@pytest.mark.parametrize("variable", ["QUANZI_RATE_LIMIT_LOGIN", "QUANZI_RATE_LIMIT_CALLBACK",
                                      "QUANZI_RATE_LIMITS"])
def test_a_value_that_does_not_parse_stops_the_start(rate_limits_on, monkeypatch, variable):
    monkeypatch.setenv(variable, "lots")
    rate_limits.reset()
    with pytest.raises(rate_limits.ConfigError, match=variable):
        create_app()


def test_every_limit_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Rate limits", 1)[1].split("\n## ", 1)[0]
    for name in rate_limits.Name:
        assert f"`{name.variable}`" in section and rate_limits.DEFAULTS[name] in section
    assert "`QUANZI_RATE_LIMITS`" in section
