"""Test harness: a fresh database per run (SQLite or PostgreSQL), clean tables per test."""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="quanzi-test-"))
os.environ.update({
    "QUANZI_DATA_DIR": str(_TMP / "data"),
    "QUANZI_SECRET_KEY": "test-secret-key-not-for-production",
    "QUANZI_ENV": "test",
    "QUANZI_ARGON2_PROFILE": "CHEAPEST",
    # tests sign in and register far more often than people do; the rate-limit tests
    # switch the limits on (tests/rate_limit_fixtures.py)
    "QUANZI_RATE_LIMITS": "off",
    "QUANZI_DATABASE_URL": f"sqlite:///{_TMP / 'template.db'}",
})
os.environ.pop("QUANZI_REDIS_URL", None)

from sqlalchemy import select, text  # noqa: E402

from quanzi.core import clock, migrate  # noqa: E402
from quanzi.core.config import get_settings  # noqa: E402
from quanzi.core.db import Database, set_db  # noqa: E402
from quanzi.wiring import wire  # noqa: E402  (every table and handler, as each entry point)
from tests import backends  # noqa: E402

wire()

_state: dict[str, str] = {}


def _runs_no_tests(config: pytest.Config) -> bool:
    """The controller of a run split across processes (``pytest -n N``): each worker makes
    its own database and Redis prefix, the controller needs none."""
    workers = config.getoption("numprocesses", None)
    return not hasattr(config, "workerinput") and workers not in (None, 0)


def pytest_sessionstart(session: pytest.Session) -> None:
    if _runs_no_tests(session.config):
        return
    if backends.PG_URL:
        try:
            url = backends.create_pg_database(backends.PG_URL)
        except Exception as exc:
            if backends.IN_CI:
                raise pytest.UsageError(f"PostgreSQL unavailable under CI: {exc}") from exc
            url = ""
        if url:
            migrate.upgrade(url)
            _state["pg"] = url
    if "pg" not in _state:
        migrate.upgrade(os.environ["QUANZI_DATABASE_URL"])
    if backends.REDIS_URL:
        os.environ["QUANZI_REDIS_URL"] = backends.REDIS_URL
        os.environ["QUANZI_REDIS_PREFIX"] = f"quanzi-test-{backends.RUN_ID}:"
    get_settings.cache_clear()


def pytest_sessionfinish(session: pytest.Session) -> None:
    set_db(None)
    if _runs_no_tests(session.config):
        shutil.rmtree(_TMP, ignore_errors=True)
        return
    if "pg" in _state:
        backends.drop_pg_database(_state["pg"])
    if backends.REDIS_URL:
        import redis

        client = redis.Redis.from_url(backends.REDIS_URL)
        for key in client.scan_iter(f"quanzi-test-{backends.RUN_ID}:*"):
            client.delete(key)
    shutil.rmtree(_TMP, ignore_errors=True)


def pytest_report_header() -> str:
    backend = "postgresql" if backends.PG_URL else "sqlite"
    return f"quanzi database: {backend}; redis: {'yes' if backends.REDIS_URL else 'no'}"


@pytest.fixture(autouse=True)
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database with empty tables for each test, and the clock back at real time."""
    clock.reset()
    if "pg" in _state:
        database = Database(_state["pg"])
        _truncate(database)
    else:
        path = _TMP / f"t-{abs(hash(request.node.nodeid))}.db"
        shutil.copyfile(_TMP / "template.db", path)
        database = Database(f"sqlite:///{path}")
    set_db(database)
    yield database
    set_db(None)
    clock.reset()
    if "pg" not in _state:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _truncate(database: Database) -> None:
    with database.write_engine.begin() as conn:
        names = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")).scalars().all()
        if names:
            joined = ", ".join(f'"{n}"' for n in names)
            conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def ledger_checked(request: pytest.FixtureRequest, db: Database) -> Iterator[None]:
    """After a test that wrote journal entries, ``quanzi ledger check`` must find nothing.

    A test that leaves broken books on purpose says so with ``@pytest.mark.ledger_unchecked``.
    """
    yield
    if request.node.get_closest_marker("ledger_unchecked") or not _has_entries():
        return
    from quanzi import audit

    found = audit.check()
    if found:
        pytest.fail("the ledger check failed after this test:\n"
                    + "\n".join(f"  {problem}" for problem in found), pytrace=False)


def _has_entries() -> bool:
    from quanzi.core.db import read_session
    from quanzi.ledger.models import JournalEntry

    with read_session() as session:
        return session.scalar(select(JournalEntry.id).limit(1)) is not None


@pytest.fixture
def rate_limits_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``rate_limits_on(login="2/minute", ...)``: the rate limits switched on, with these
    values (``QUANZI_RATE_LIMIT_<NAME>``), counting afresh: on Redis in a run with Redis,
    else in memory. Off again after the test."""
    from quanzi.core import rate_limits

    def switch_on(**values: str) -> None:
        monkeypatch.setenv("QUANZI_RATE_LIMITS", "on")
        for name, value in values.items():
            monkeypatch.setenv(f"QUANZI_RATE_LIMIT_{name.upper()}", value)
        rate_limits.reset()

    rate_limits.reset()
    yield switch_on
    rate_limits.reset()


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return get_settings()


@pytest.fixture
def app():  # type: ignore[no-untyped-def]
    from quanzi.app import create_app

    return create_app()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client
