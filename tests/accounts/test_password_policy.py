"""Passwords too easy to guess are refused (422 ``weak_password`` with the reason) at
registration, on the register page and for users made by the command line; the demo
password still works."""

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from quanzi.accounts import password_policy
from quanzi.accounts import services as accounts
from quanzi.accounts.models import User
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput
from quanzi.demo import PASSWORD as DEMO_PASSWORD
from tests.factories import PASSWORD
from tests.web.helpers import csrf_of

WEAK = {  # the examples and their reasons
    "        ": password_policy.REPEATED,
    "12345678": password_policy.COMMON,
    "password": password_policy.COMMON,
    "aaaaaaaa": password_policy.REPEATED,
    "qwertyui": password_policy.COMMON,
    "abcdefgh": password_policy.SEQUENCE,
    "Password1": password_policy.COMMON,
    "shanghai": password_policy.WORD,
}


def _users() -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


@pytest.mark.parametrize(("password", "reason"), WEAK.items())
def test_registering_with_a_weak_password_is_422_with_the_reason(client, password, reason):
    response = client.post("/api/v1/auth/register",
                           json={"email": "ann@example.cn", "password": password, "name": "Ann"})
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "weak_password", "message": reason}
    assert _users() == 0


def test_the_account_s_own_phone_is_not_a_password(client):
    response = client.post("/api/v1/auth/register",
                           json={"phone": "13800138000", "password": "13800138000", "name": "x"})
    assert response.json()["error"] == {"code": "weak_password",
                                        "message": password_policy.PERSONAL}


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "宝贝我爱你-1314",
                                      "long enough", "correct horse battery staple"])
def test_passwords_hard_enough_to_guess_are_accepted(password):
    assert password_policy.weakness(password, ["ann@example.cn", "Ann"]) is None


def test_users_made_by_services_are_held_to_it_too():
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(name="ops", password="12345678", email="ops@example.cn",
                             roles=["consumer", "operator"])
    assert refused.value.code == "weak_password"
    assert _users() == 0


def test_the_register_page_says_why_in_chinese(client):
    token = csrf_of(client.get("/register").text)
    response = client.post("/register", data={"login": "ann@example.cn", "name": "Ann",
                                              "password": "12345678", "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 422
    assert "这是最常见的密码之一，请换一个" in response.text
    assert _users() == 0


def test_the_command_line_refuses_a_weak_password(tmp_path):
    env = {"QUANZI_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "QUANZI_DATA_DIR": str(tmp_path), "QUANZI_ARGON2_PROFILE": "CHEAPEST",
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "quanzi.cli", "user", "create", "--role",
                           "consumer", "--email", "ann@example.cn", "--password", "password"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "most common passwords" in done.stderr
