"""Homes for the command-line tests: ``home`` is one per module, migrated once (the
commands' tests share it and create what they check under their own names); ``fresh_home``
is a new empty one for a test that needs the database untouched."""

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.home import Home, drop_home, new_home

_names = itertools.count(1)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    made = _home(tmp_path_factory.mktemp("home"))
    upgraded = made.quanzi("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    yield made
    drop_home(made)


@pytest.fixture
def fresh_home(tmp_path: Path) -> Iterator[Home]:
    made = _home(tmp_path / "home")
    yield made
    drop_home(made)


def _home(folder: Path) -> Home:
    return new_home(folder, f"cli{next(_names)}")
