"""The job runner: Huey, on SQLite storage by default and on Redis when configured."""

from functools import lru_cache

from huey import Huey, RedisHuey, SqliteHuey

from quanzi.core.config import get_settings


@lru_cache
def get_huey() -> Huey:
    settings = get_settings()
    if settings.redis_url:
        return RedisHuey("quanzi", url=settings.redis_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("quanzi", filename=str(settings.data_dir / "jobs.db"))
