"""Password hashing behind a port, with a bound on how many hashes run at once.

An argon2 hash costs tens of milliseconds of CPU and (with the default profile) 64 MiB
of memory. Callers must never hash inside a database transaction (a slow hash would
hold the write lock or a pooled connection), and a crowd of sign-ins must not run
more hashes at once than the machine has cores: each ``hash_password`` and
``verify_password`` takes one of ``slots()`` places first, waiting at most
``WAIT_SECONDS``; when none frees up in time it raises :class:`ServerBusy` (503 with
Retry-After) instead of queueing without end.

``verify_unknown(password)`` checks a password against a dummy hash made with the same
parameters, so a login that names no account costs the same time as a wrong password.

The hasher is a port (:class:`Hasher`); :class:`Argon2Hasher` is the adapter used
unless another one is plugged in with :func:`use_hasher` (a test's counting fake).

Example::

    digest = hash_password("correct-horse-9")          # outside any transaction
    assert verify_password(digest, "correct-horse-9")
"""

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Protocol

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from quanzi.core.config import get_settings
from quanzi.core.errors import ServerBusy

WAIT_SECONDS = 3.0  # the longest a caller waits for a free slot


class Hasher(Protocol):
    def hash(self, password: str) -> str:
        """A salted hash of ``password`` that carries its own parameters."""

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""


class Argon2Hasher:
    """argon2id with a named argon2-cffi profile (RFC_9106_LOW_MEMORY unless configured)."""

    def __init__(self, profile: str) -> None:
        self._hasher = PasswordHasher.from_parameters(getattr(profiles, profile))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def slots() -> int:
    """How many hashes may run at once: one per CPU core."""
    return max(1, os.cpu_count() or 1)


class _State:
    """The plugged hasher, its dummy hash and the slots (replaced together)."""

    def __init__(self, hasher: Hasher, places: int) -> None:
        self.hasher = hasher
        self.places = threading.BoundedSemaphore(places)
        self.dummy: str | None = None


_plugged: _State | None = None


@lru_cache
def _default(profile: str) -> _State:
    return _State(Argon2Hasher(profile), slots())


def _state() -> _State:
    return _plugged or _default(get_settings().argon2_profile)


def use_hasher(hasher: Hasher | None, *, places: int | None = None) -> None:
    """Plug ``hasher`` in with ``places`` slots (default :func:`slots`); None restores
    the argon2 hasher of the settings."""
    global _plugged
    _plugged = None if hasher is None else _State(hasher, places or slots())


@contextmanager
def _slot(state: _State) -> Iterator[None]:
    """Hold one of the slots while the body runs; :class:`ServerBusy` after waiting
    ``WAIT_SECONDS`` for one."""
    if not state.places.acquire(timeout=WAIT_SECONDS):
        raise ServerBusy("too many sign-ins at once: try again in a moment", retry_after=1)
    try:
        yield
    finally:
        state.places.release()


def hash_password(password: str) -> str:
    """Hash ``password`` (waits for a slot; :class:`ServerBusy` if none frees up)."""
    state = _state()
    with _slot(state):
        return state.hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check ``password`` against its hash (any profile: the parameters live in the hash)."""
    state = _state()
    with _slot(state):
        return state.hasher.verify(password_hash, password)


def verify_unknown(password: str) -> bool:
    """Spend the time of one verification on a login without an account; always False."""
    state = _state()
    if state.dummy is None:
        with _slot(state):
            state.dummy = state.hasher.hash(secrets.token_urlsafe(16))
    with _slot(state):
        state.hasher.verify(state.dummy, password)
    return False
