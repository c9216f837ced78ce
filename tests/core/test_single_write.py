"""``single_write``: on PostgreSQL a write of one statement runs in autocommit (committed
at once, no BEGIN and COMMIT round trips); on SQLite it is a write transaction in its turn,
and the pooled connection is an ordinary transactional one again afterwards."""

import pytest
from sqlalchemy import select, text

from quanzi.accounts.models import User
from quanzi.core.db import Database, read_session, single_write, transaction
from tests.core.test_read_sessions import IDLE, INTRANS
from tests.factories import make_user

_RENAME = text("UPDATE users SET name = :name WHERE id = :id")


def _name(user_id: int) -> str | None:
    with read_session() as session:
        return session.scalar(select(User.name).where(User.id == user_id))


def test_on_postgresql_the_statement_is_committed_at_once(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    user = make_user()
    with single_write() as connection:
        connection.execute(_RENAME, {"name": "改名", "id": user.id})
        assert connection.connection.dbapi_connection.info.transaction_status == IDLE
        assert _name(user.id) == "改名"  # another connection sees it inside the block
    with transaction() as session:  # the pooled connection writes in a transaction again
        session.execute(_RENAME, {"name": "again", "id": user.id})
        assert session.connection().connection.dbapi_connection.info.transaction_status \
            == INTRANS


def test_on_sqlite_it_is_a_transaction_that_rolls_back(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite only")
    user = make_user()
    with pytest.raises(RuntimeError), single_write() as connection:
        connection.execute(_RENAME, {"name": "改名", "id": user.id})
        assert connection.in_transaction()
        raise RuntimeError("rolled back")
    assert _name(user.id) == user.name
    with single_write() as connection:
        connection.execute(_RENAME, {"name": "改名", "id": user.id})
    assert _name(user.id) == "改名"
