"""Building blocks for campaign tests: SKUs, staff, many users at once, threads."""

import itertools
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TypeVar

from quanzi.accounts.models import AuthToken, User
from quanzi.core import clock, security
from quanzi.core.db import transaction
from tests.factories import make_product, make_supplier

T = TypeVar("T")
R = TypeVar("R")
_seq = itertools.count(1)
WORKERS = 24


def sku_of_new_supplier() -> tuple[int, int]:
    """A new supplier with one SKU listed at ¥1,000.00 (no campaign price the tests use is
    above it): (supplier_id, sku_id)."""
    supplier_id = make_supplier()
    return supplier_id, make_product(supplier_id, [("500g", 100_000, 100_000)])[0]


def bulk_users(count: int) -> list[int]:
    """``count`` consumer rows inserted at once (no password hashing): their ids."""
    batch = next(_seq)
    with transaction() as session:
        users = [User(name=f"买家{batch}-{i}", email=f"bulk{batch}-{i}@example.cn",
                      password_hash="x", roles=["consumer"], is_active=True,
                      created_at=clock.now()) for i in range(count)]
        session.add_all(users)
        session.flush()
        return [user.id for user in users]


def signed_in(role: str = "consumer", supplier_id: int | None = None) -> tuple[int, dict[str, str]]:
    """A user with ``role`` and a live bearer token, without password hashing: (id, headers).

    The login flow itself is tested in tests/accounts; here it would only cost seconds.
    """
    n = next(_seq)
    roles = ["consumer"] if role == "consumer" else ["consumer", role]
    token = security.new_token()
    now = clock.now()
    with transaction() as session:
        user = User(name=f"{role}{n}", email=f"signed-{role}{n}@example.cn", password_hash="x",
                    roles=roles, supplier_id=supplier_id, is_active=True, created_at=now)
        session.add(user)
        session.flush()
        session.add(AuthToken(user_id=user.id, token_hash=security.token_digest(token),
                              created_at=now, expires_at=now + timedelta(days=7)))
        return user.id, {"Authorization": f"Bearer {token}"}


def headers(role: str = "consumer", supplier_id: int | None = None) -> dict[str, str]:
    return signed_in(role, supplier_id)[1]


def run_concurrently(work: Callable[[T], R], items: Iterable[T],
                     workers: int = WORKERS) -> list[R]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, items))


def iso(value: datetime) -> str:
    return value.isoformat()


__all__ = ["bulk_users", "headers", "iso", "run_concurrently", "signed_in",
           "sku_of_new_supplier"]
