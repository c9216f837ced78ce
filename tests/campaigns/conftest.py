"""Campaign tests share Redis keys by sale id, and ids restart with every fresh database:
clear this run's keys around each test."""

from collections.abc import Iterator

import pytest

from tests import backends


def _clear_run_keys() -> None:
    import redis

    client = redis.Redis.from_url(backends.REDIS_URL)
    for key in client.scan_iter(f"quanzi-test-{backends.RUN_ID}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(autouse=True)
def clean_redis() -> Iterator[None]:
    if backends.REDIS_URL:
        _clear_run_keys()
    yield
    if backends.REDIS_URL:
        _clear_run_keys()
