"""The job runner: Huey, on Redis when configured, else on a SQLite file in the data
folder (``QUANZI_DATA_DIR/jobs.db``: a runtime file, never inside the package)."""

from functools import lru_cache
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from quanzi.core.config import Settings, get_settings


def sqlite_store(settings: Settings) -> Path:
    """Where the jobs are kept without Redis."""
    return settings.data_dir / "jobs.db"


@lru_cache
def get_huey() -> Huey:
    settings = get_settings()
    if settings.redis_url:
        return RedisHuey("quanzi", url=settings.redis_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("quanzi", filename=str(sqlite_store(settings)))
