"""Building blocks for tests: users with roles and their auth headers."""

import itertools

from fastapi.testclient import TestClient

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import UserOut

_seq = itertools.count(1)
PASSWORD = "correct-horse-9"


def make_user(role: str = "consumer", *, supplier_id: int | None = None,
              name: str | None = None) -> UserOut:
    n = next(_seq)
    roles = ["consumer"] if role == "consumer" else ["consumer", role]
    return accounts.create_user(name=name or f"{role}{n}", password=PASSWORD,
                                email=f"{role}{n}@example.cn", roles=roles,
                                supplier_id=supplier_id)


def token_for(user: UserOut) -> str:
    return accounts.login(user.email or user.phone or "", PASSWORD).access_token


def auth(user: UserOut) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


def login_headers(client: TestClient, login: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"login": login, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
