"""The unit tests' harness keeps the database and the clock out of reach."""

import pytest

from quanzi.core import clock
from quanzi.core.db import get_db, read_session, transaction


def test_a_session_cannot_be_opened():
    with pytest.raises(pytest.fail.Exception, match="used the database"), transaction():
        pass
    with pytest.raises(pytest.fail.Exception, match="used the database"), read_session():
        pass


def test_no_engine_is_reachable():
    with pytest.raises(pytest.fail.Exception, match=r"Database\.write_engine"):
        get_db().write_engine  # noqa: B018


def test_the_clock_is_not_read():
    with pytest.raises(pytest.fail.Exception, match="clock"):
        clock.now()
