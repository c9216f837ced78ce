"""Which database and Redis the suite runs on, and making fresh ones.

``QUANZI_TEST_DATABASE_URL`` points the suite at a PostgreSQL server: every run gets
its own new database there, dropped at the end. ``QUANZI_TEST_REDIS_URL`` does the same
for Redis (a key prefix per run). Unset, the suite runs on SQLite with no Redis. Under
CI (``CI=true``) a configured service that cannot be reached fails the run.
"""

import os
import secrets

import pytest
from sqlalchemy import create_engine, make_url, text

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("QUANZI_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("QUANZI_TEST_REDIS_URL", "")
RUN_ID = secrets.token_hex(4)


def unavailable(what: str, reason: str) -> None:
    """Skip on a laptop; fail under CI."""
    message = f"{what} unavailable: {reason}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_redis() -> str:
    """The run's Redis URL. A run without one (the SQLite run) skips Redis tests with the
    reason; a configured Redis that does not answer is unavailable (a failure under CI)."""
    if not REDIS_URL:
        pytest.skip("this run has no Redis: set QUANZI_TEST_REDIS_URL to include these tests")
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_timeout=2) as client:
            client.ping()
    except redis.RedisError as exc:
        unavailable("Redis", f"{REDIS_URL} does not answer ({exc})")
    return REDIS_URL


def create_pg_database(server_url: str, suffix: str = "") -> str:
    """Create ``quanzi_test_<run><suffix>`` on the server and return its URL."""
    url = make_url(server_url)
    name = f"quanzi_test_{RUN_ID}{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(db_url: str) -> None:
    url = make_url(db_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()
