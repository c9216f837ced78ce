"""Idempotency keys for money- and stock-moving requests.

Used inside the service's own transaction::

    with transaction() as s:
        if (done := idempotency.replay(s, scope, key, body)) is not None:
            return done
        ...do the work...
        idempotency.remember(s, scope, key, body, result)

A replay returns the first answer; the same key with another body is a 422. Two
concurrent requests with one key cannot both commit: the key's unique index makes the
second fail (``is_duplicate_key``), and its caller retries and gets the replay.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from quanzi.core import clock
from quanzi.core.db import Base, UTCDateTime, transaction
from quanzi.core.errors import InvalidInput

MAX_KEY_LENGTH = 128


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(96))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


def fingerprint(body: Any) -> str:
    """A stable hash of a request body (any JSON-able value)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str | None) -> str:
    if not key or not key.strip():
        raise InvalidInput("an Idempotency-Key header is required", code="idempotency_key_missing")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters",
                           code="idempotency_key_invalid")
    return key.strip()


def replay(session: Session, scope: str, key: str, body: Any) -> dict[str, Any] | None:
    """The stored answer for ``key``, None if unseen; 422 if it came with another body."""
    row = session.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope,
                                                      IdempotencyKey.key == key))
    if row is None:
        return None
    if row.request_hash != fingerprint(body):
        raise InvalidInput("this Idempotency-Key was used with a different request body",
                           code="idempotency_key_reused")
    return row.response


def remember(session: Session, scope: str, key: str, body: Any, response: dict[str, Any]) -> None:
    """Store the answer for ``key`` in the current transaction (flushes)."""
    session.add(IdempotencyKey(scope=scope, key=key, request_hash=fingerprint(body),
                               response=response, created_at=clock.now()))
    session.flush()


def is_duplicate_key(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "idempotency_keys" in text or "uq_idempotency_keys" in text


def run_once(scope: str, key: str, body: Any,
             work: Callable[[Session], dict[str, Any]], *, fresh: bool = False) -> dict[str, Any]:
    """Run ``work(session)`` once per ``(scope, key)`` and return its answer.

    A replay gets the stored answer; a concurrent duplicate that loses the race on
    the key's unique index is rolled back (undoing anything it reserved) and then
    answered with the winner's stored answer. A ``work`` that raises stores nothing,
    so the client may retry with the same key. ``fresh`` says the caller has reason to
    think the key is new (the flash-sale counter saw it for the first time): the first
    attempt skips the lookup, and a key that was used after all still loses on the
    unique index and is answered as a replay.
    """
    for attempt in range(3):
        try:
            with transaction() as session:
                done = None if fresh and attempt == 0 else replay(session, scope, key, body)
                if done is not None:
                    return done
                result = work(session)
                remember(session, scope, key, body, result)
                return result
        except IntegrityError as exc:
            if attempt == 2 or not is_duplicate_key(exc):
                raise
    raise AssertionError("unreachable")
