"""Reads on PostgreSQL run in autocommit: no BEGIN and ROLLBACK round trips around them,
and nothing of theirs is left open on the pooled connection; writes still run in a
transaction. On SQLite a read session is a deferred transaction (a WAL snapshot)."""

import psycopg
import pytest
from sqlalchemy import select, text

from quanzi.accounts.models import User
from quanzi.core.db import Database, read_session, single_read, transaction
from tests.factories import make_user

IDLE = psycopg.pq.TransactionStatus.IDLE
INTRANS = psycopg.pq.TransactionStatus.INTRANS


def _status(session_or_connection) -> psycopg.pq.TransactionStatus:  # type: ignore[no-untyped-def]
    connection = session_or_connection.connection()
    return connection.connection.dbapi_connection.info.transaction_status


def test_postgresql_reads_open_no_transaction(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    user = make_user()
    with read_session() as session:
        assert session.scalar(select(User.name).where(User.id == user.id)) == user.name
        assert _status(session) == IDLE  # the SELECT ran without a BEGIN before it
        session.execute(text("SELECT 1"))
        assert _status(session) == IDLE
    with single_read() as connection:
        connection.execute(text("SELECT 1"))
        assert connection.connection.dbapi_connection.info.transaction_status == IDLE
    with transaction() as session:
        session.execute(text("SELECT 1"))
        assert _status(session) == INTRANS  # writes keep their transaction


def test_a_write_after_autocommit_reads_still_rolls_back(db: Database) -> None:
    """The pooled connection a read used in autocommit is a transactional one again for
    the next writer: a failed write leaves nothing behind."""
    user = make_user()
    for _ in range(3):  # the read engine's connections go back to the shared pool
        with read_session() as session:
            session.execute(text("SELECT 1"))
    with pytest.raises(RuntimeError), transaction() as session:
        session.execute(text("UPDATE users SET name = 'changed' WHERE id = :id"), {"id": user.id})
        raise RuntimeError("rolled back")
    with read_session() as session:
        assert session.scalar(select(User.name).where(User.id == user.id)) == user.name
