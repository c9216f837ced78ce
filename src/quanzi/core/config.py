"""Settings, read once from ``QUANZI_*`` environment variables.

``QUANZI_SECRET_KEY`` defaults to a random key kept in the data folder, so tokens and
sessions survive a restart without any configuration; in production that key must exist
already (see ``core.secret_key``). ``QUANZI_DATA_DIR`` is made absolute when read, so a
process that changes its working directory later still finds the same folder.
"""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from quanzi.core.durations import parse_duration
from quanzi.core.secret_key import load_or_create


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QUANZI_", extra="ignore")

    env: str = "development"
    database_url: str = "sqlite:///./quanzi.db"
    # off: psycopg prepares no statements (PgBouncer in transaction mode needs this)
    database_prepare: bool = True
    redis_url: str | None = None
    redis_prefix: str = "quanzi:"
    secret_key: str = ""
    data_dir: Path = Field(default=Path("./data"), validate_default=True)  # made absolute
    base_url: str = "http://127.0.0.1:8000"
    return_window: timedelta = timedelta(days=7)
    payment_timeout: timedelta = timedelta(minutes=15)
    auto_confirm: timedelta = timedelta(days=10)
    # a batch order not collected this long after its batch's pickup_from (or the goods'
    # arrival at its point, if later) completes by itself, as 美团优选 and 多多买菜 do
    pickup_window: timedelta = timedelta(days=7)
    # a point whose goods are not recorded this long after its batch's pickup_from has its
    # waiting orders refunded in full (community/unarrived.py)
    arrival_deadline: timedelta = timedelta(days=2)
    # a refund request the seller leaves undecided this long is approved by the worker
    refund_decision: timedelta = timedelta(hours=48)
    token_ttl: timedelta = timedelta(days=7)
    default_fee_bp: int = 500
    callback_tolerance: timedelta = timedelta(minutes=5)
    inline_events: bool = True
    # remember a bearer token's user for up to 30 s (accounts/sign_ins.py); off: every
    # request looks it up. `quanzi serve --workers N` turns it off when there is no Redis
    # to tell the processes of a sign-out
    sign_in_cache: bool = True
    # the periodic sweeps (payment timeouts, settlement, campaign ends) run this often
    sweep_interval: timedelta = Field(default=timedelta(seconds=2), gt=timedelta(0))
    # a server writes the clicks it buffered this often (and all of them when it stops)
    click_flush_interval: timedelta = Field(default=timedelta(seconds=0.5), gt=timedelta(0))
    # `quanzi serve` starts the worker as its child outside production; off: never
    serve_worker: bool = True
    bench: bool = False  # QUANZI_BENCH=1 adds the benchmarks' baseline routes
    docs: bool | None = None  # /docs and /openapi.json; unset: on, except in production
    withdrawal_min_fen: int = 100
    withdrawal_daily_count: int = 3
    withdrawal_daily_limit_fen: int = 500_000
    # the largest order (and campaign price) accepted, in fen: ¥1,000,000
    max_order_fen: int = Field(default=100_000_000, ge=1, le=10**15)
    # argon2-cffi parameter profile; the test suite uses CHEAPEST to stay fast.
    argon2_profile: Literal["RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"] = (
        "RFC_9106_LOW_MEMORY")

    @field_validator("return_window", "payment_timeout", "auto_confirm", "token_ttl",
                     "callback_tolerance", "sweep_interval", "click_flush_interval",
                     "refund_decision", "pickup_window", "arrival_deadline", mode="before")
    @classmethod
    def _duration(cls, value: object) -> timedelta:
        if isinstance(value, (str, int, timedelta)):
            return parse_duration(value)
        raise ValueError("expected a duration such as 15m or 7d")

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("redis_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def docs_enabled(self) -> bool:
        """Serve ``/docs`` and ``/openapi.json``: ``QUANZI_DOCS``, else on outside production."""
        return self.docs if self.docs is not None else not self.is_production

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` (sent over HTTPS only): in production."""
        return self.is_production

    def resolved_secret_key(self) -> str:
        """The configured key, else the one kept in ``data_dir/secret_key``: created once
        (0600, atomically) outside production; in production a missing key raises
        :class:`~quanzi.core.secret_key.MissingSecretKey` instead."""
        if not self.secret_key:
            self.secret_key = load_or_create(self.data_dir / "secret_key",
                                             create=not self.is_production)
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    return Settings()
