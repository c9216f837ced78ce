"""A SQLite database made by quanzi (the server, ``db upgrade``) is readable by its owner
only, and so are its ``-wal`` and ``-shm`` files."""

import stat
from pathlib import Path

from sqlalchemy import text

from quanzi.core import migrate
from quanzi.core.db import Database


def _modes(folder: Path, name: str) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.glob(f"{name}*")}


def test_a_new_database_and_its_wal_files_are_0600(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'shop.db'}")
    try:
        with database.write_engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        modes = _modes(tmp_path, "shop.db")
    finally:
        database.dispose()

    assert modes == {"shop.db": 0o600, "shop.db-wal": 0o600, "shop.db-shm": 0o600}


def test_db_upgrade_makes_a_new_database_0600(tmp_path):
    migrate.upgrade(f"sqlite:///{tmp_path / 'new.db'}")

    assert _modes(tmp_path, "new.db")["new.db"] == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path):
    path = tmp_path / "kept.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    Database(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
