"""Runtime files (the secret key, databases, media) live in the data folder
(``QUANZI_DATA_DIR``), never inside the installed package."""

from pathlib import Path

import quanzi

PACKAGE = Path(quanzi.__file__).parent
RUNTIME = ("*.db", "*.db-wal", "*.db-shm", "secret_key", "jobs.db*")


def test_the_package_holds_no_runtime_file():
    found = sorted(str(p.relative_to(PACKAGE)) for pattern in RUNTIME
                   for p in PACKAGE.rglob(pattern))
    assert found == []

