"""Runtime files (the job store, the secret key, databases, media) live in the data folder
(``QUANZI_DATA_DIR``), never inside the installed package."""

from pathlib import Path

import quanzi
from quanzi.core.config import Settings, get_settings
from quanzi.core.jobs import get_huey, sqlite_store

PACKAGE = Path(quanzi.__file__).parent
RUNTIME = ("*.db", "*.db-wal", "*.db-shm", "secret_key", "jobs.db*")


def test_the_package_holds_no_runtime_file():
    found = sorted(str(p.relative_to(PACKAGE)) for pattern in RUNTIME
                   for p in PACKAGE.rglob(pattern))
    assert found == []


def test_the_job_store_is_in_the_data_folder(tmp_path):
    assert sqlite_store(Settings(data_dir=tmp_path)) == tmp_path / "jobs.db"
    huey = get_huey()
    if not get_settings().redis_url:
        assert Path(huey.storage.filename) == get_settings().data_dir / "jobs.db"
