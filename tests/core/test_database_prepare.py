"""``QUANZI_DATABASE_PREPARE=off``: psycopg prepares no statement, as PgBouncer in
transaction mode needs (a statement prepared on one server connection may be executed on
another). On, psycopg prepares a statement from its fifth execution on a connection."""

import pytest
from sqlalchemy import text

from quanzi.core.config import Settings
from quanzi.core.db import Database, get_db, server_connect_args, set_db

PG = "postgresql+psycopg://shop@db.example/shop"
REPEATS = 8  # more than psycopg's default prepare_threshold (5)


def _run_repeatedly(database: Database) -> tuple[int | None, int]:
    """(the connection's prepare_threshold, statements prepared) after one query ran
    ``REPEATS`` times on one pooled connection of the app's engine."""
    with database.write_engine.connect() as connection:
        for n in range(REPEATS):
            connection.execute(text("SELECT id FROM users WHERE id = :n"), {"n": n})
        threshold = connection.connection.dbapi_connection.prepare_threshold  # type: ignore[union-attr]
        prepared = connection.execute(
            text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
    return threshold, prepared


def test_the_setting_reads_off_and_defaults_on(monkeypatch):
    monkeypatch.setenv("QUANZI_DATABASE_PREPARE", "off")
    assert Settings().database_prepare is False
    monkeypatch.delenv("QUANZI_DATABASE_PREPARE")
    assert Settings().database_prepare is True


def test_off_gives_psycopg_no_prepare_threshold_and_sqlite_nothing():
    assert server_connect_args(PG, prepare=False) == {"prepare_threshold": None}
    assert server_connect_args(PG, prepare=True) == {}
    assert server_connect_args("sqlite:///shop.db", prepare=False) == {}


def test_off_on_postgresql_runs_queries_and_prepares_none(db, settings, monkeypatch):
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr(settings, "database_url", db.url)
    monkeypatch.setattr(settings, "database_prepare", False)
    set_db(None)  # the next get_db() is made from the settings, as in a server
    try:
        threshold, prepared = _run_repeatedly(get_db())
    finally:
        set_db(db)

    assert threshold is None
    assert prepared == 0


def test_on_postgresql_the_default_prepares_a_repeated_query(db):
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")

    threshold, prepared = _run_repeatedly(db)

    assert threshold == 5
    assert prepared >= 1
