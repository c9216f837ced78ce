"""Unit tests of the pure rules: no database, no clock, run in milliseconds.

The suite's autouse ``db`` fixture (``tests/conftest.py``) gives every test a fresh copy
of a SQLite file. Here a fixture of the same name replaces it for ``tests/unit/``: the
process is pointed at no database at all, and ``core.clock.now`` is taken away, so a
rule that reaches for a session or the clock fails the test by name instead of passing
slowly. Pure rules are given ``now`` by their callers (DESIGN.md, "A pure core").
"""

from collections.abc import Iterator
from typing import NoReturn

import pytest

from quanzi.core import clock
from quanzi.core.db import set_db


class NoDatabase:
    """Stands where the process's database would be; every use fails the test."""

    def dispose(self) -> None:
        """``set_db`` disposes the database it replaces: nothing to let go of here."""

    def __getattr__(self, name: str) -> NoReturn:
        pytest.fail(f"a unit test used the database (Database.{name}): pure rules take "
                    "plain values; test the service in its domain's directory instead",
                    pytrace=True)


def _no_clock() -> NoReturn:
    pytest.fail("a unit test read core.clock.now(): pure rules are given `now`",
                pytrace=True)


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No database and no clock for the duration of each unit test."""
    set_db(NoDatabase())  # type: ignore[arg-type]
    monkeypatch.setattr(clock, "now", _no_clock)
    yield
    set_db(None)


@pytest.fixture(autouse=True)
def ledger_checked() -> Iterator[None]:
    """Pure rules move no money: the suite's after-test ledger check has nothing to read."""
    yield
