"""The server opens its database at startup: ready connections for the first requests,
and a database that cannot be reached stops the start instead of failing requests."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from quanzi.app import create_app
from quanzi.core.db import Database, get_db, set_db


def test_startup_leaves_connections_ready_in_the_pool():
    engine = get_db().write_engine
    engine.dispose()
    with TestClient(create_app()) as client:
        assert engine.pool.checkedin() >= 1
        assert client.get("/healthz").json() == {"status": "ok"}


def test_an_unreachable_database_stops_the_start():
    kept = get_db()
    nowhere = Database("postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=2")
    set_db(nowhere)
    try:
        with pytest.raises(OperationalError), TestClient(create_app()):
            pass
    finally:
        set_db(kept)
