"""Rate limits: how often one account, address or user may try something.

Each limit has a name and is set by its own environment variable,
``QUANZI_RATE_LIMIT_<NAME>``, in the notation of the ``limits`` library (``5/minute``,
``20/hour``, ``10 per 10 seconds``); ``QUANZI_RATE_LIMITS=off`` switches every limit off
(load tests, benches). A value that does not parse stops the start with a message
naming the variable (:func:`validate`).

The counting is the ``limits`` library's moving window: on Redis when
``QUANZI_REDIS_URL`` is set (so every process counts together), else in this process's
memory. A refused attempt raises :class:`~quanzi.core.errors.RateLimited` (429) with the
seconds until the next attempt may pass. When Redis cannot be reached the limits let
requests through (logged): a rate limit must not take the shop down with it.

Example::

    rate_limits.check(LOGIN, "ann@example.cn")     # RateLimited on the 6th in a minute
"""

import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import limits
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from quanzi.core.config import get_settings
from quanzi.core.errors import RateLimited

log = logging.getLogger(__name__)
SWITCH = "QUANZI_RATE_LIMITS"
PREFIX = "QUANZI_RATE_LIMIT_"


class Name(StrEnum):
    """A limit; its variable is ``QUANZI_RATE_LIMIT_`` + the upper-cased name."""

    LOGIN = "login"          # sign-in attempts per account (the e-mail or phone given)
    LOGIN_IP = "login_ip"    # sign-in attempts per client address
    REGISTER = "register"    # new accounts per client address
    HELP = "help"            # bargain helps (砍一刀) per user
    FLASH_BUY = "flash_buy"  # flash-sale buy requests per user
    CALLBACK = "callback"    # refused payment callbacks per client address and provider
    PICKUP = "pickup"        # refused pickup-code verifications (核销) per leader

    @property
    def variable(self) -> str:
        return PREFIX + self.value.upper()


DEFAULTS: Mapping[Name, str] = {
    Name.LOGIN: "5/minute", Name.LOGIN_IP: "60/minute", Name.REGISTER: "20/hour",
    Name.HELP: "30/hour", Name.FLASH_BUY: "20/minute", Name.CALLBACK: "30/minute",
    Name.PICKUP: "30/minute",
}
LOGIN, LOGIN_IP, REGISTER = Name.LOGIN, Name.LOGIN_IP, Name.REGISTER
HELP, FLASH_BUY, CALLBACK = Name.HELP, Name.FLASH_BUY, Name.CALLBACK
PICKUP = Name.PICKUP


class ConfigError(ValueError):
    """A rate-limit variable that cannot be used; the message names it."""


@dataclass(frozen=True)
class Policy:
    """Whether limits apply, and each limit's rate."""

    enabled: bool
    items: Mapping[Name, limits.RateLimitItem]


def _switch(environ: Mapping[str, str]) -> bool:
    value = environ.get(SWITCH, "on").strip().lower()
    if value not in {"on", "off"}:
        raise ConfigError(f"{SWITCH}={value!r}: write on or off")
    return value == "on"


def _item(name: Name, environ: Mapping[str, str]) -> limits.RateLimitItem:
    raw = environ.get(name.variable, DEFAULTS[name]).strip()
    try:
        parsed = limits.parse_many(raw)
    except ValueError:
        parsed = []
    if len(parsed) != 1 or parsed[0].amount < 1:
        raise ConfigError(f"{name.variable}={raw!r} is not a rate limit: write one rate such "
                          f"as {DEFAULTS[name]} or '10 per 30 seconds' (at least 1); "
                          f"{SWITCH}=off switches all limits off")
    return parsed[0]


def read_policy(environ: Mapping[str, str] | None = None) -> Policy:
    """The policy the environment sets; :class:`ConfigError` for a value that does not parse."""
    env = os.environ if environ is None else environ
    return Policy(enabled=_switch(env), items={name: _item(name, env) for name in Name})


def _storage() -> Storage:
    settings = get_settings()
    if settings.redis_url:
        storage = storage_from_string(settings.redis_url,
                                      key_prefix=f"{settings.redis_prefix}rate",
                                      wrap_exceptions=True)
        if not isinstance(storage, Storage):  # an async+ scheme: rate_limits_aio's, not ours
            raise ConfigError(f"QUANZI_REDIS_URL={settings.redis_url!r} is not a Redis URL")
        return storage
    return MemoryStorage()


class Limiter:
    """The policy applied with a moving window over one storage."""

    def __init__(self, policy: Policy, storage: Storage) -> None:
        self.policy, self.storage = policy, storage
        self.window = MovingWindowRateLimiter(storage)

    def check(self, name: Name, *key: str) -> None:
        """Count one attempt; :class:`RateLimited` if it is over the limit."""
        if self.policy.enabled and not self._safely(self.window.hit, name, key):
            raise self.refusal(name, key)

    def refuse_if_over(self, name: Name, *key: str) -> None:
        """:class:`RateLimited` when the limit is used up already; counts nothing."""
        if self.policy.enabled and not self._safely(self.window.test, name, key):
            raise self.refusal(name, key)

    def count(self, name: Name, *key: str) -> None:
        """Count one attempt without refusing it (the next one may be refused)."""
        if self.policy.enabled:
            self._safely(self.window.hit, name, key)

    def refusal(self, name: Name, key: tuple[str, ...]) -> RateLimited:
        item = self.policy.items[name]
        try:
            reset_at = self.window.get_window_stats(item, name.value, *key).reset_time
            wait = math.ceil(reset_at - time.time())
        except StorageError:
            wait = item.get_expiry()
        return RateLimited(f"too many attempts: try again in {max(1, wait)} seconds",
                           retry_after=wait)

    def _safely(self, act: Callable[..., bool], name: Name, key: tuple[str, ...]) -> bool:
        try:
            return bool(act(self.policy.items[name], name.value, *key))
        except StorageError as exc:
            log.warning("rate limit %s not applied: storage unavailable (%s)", name, exc)
            return True


@lru_cache(maxsize=1)
def limiter() -> Limiter:
    """The process's limiter (built on first use from the environment and settings)."""
    return Limiter(read_policy(), _storage())


def validate() -> Policy:
    """Read the policy now, so a bad variable stops the start (:class:`ConfigError`)."""
    return limiter().policy


def check(name: Name, *key: str) -> None:
    limiter().check(name, *key)


def refuse_if_over(name: Name, *key: str) -> None:
    limiter().refuse_if_over(name, *key)


def count(name: Name, *key: str) -> None:
    limiter().count(name, *key)


def reset() -> None:
    """Forget the limiter: the next use reads the environment again and starts counting
    afresh (tests, and a process whose settings changed)."""
    if limiter.cache_info().currsize:
        storage = limiter().storage
        storage.reset()
        client: object = getattr(storage, "storage", None)  # a Redis storage's client
        close = getattr(client, "close", None)
        if callable(close):
            close()
    limiter.cache_clear()
