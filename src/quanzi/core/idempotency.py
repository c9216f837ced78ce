"""Idempotency keys for money- and stock-moving requests.

A use case runs its work once per key and gets a typed answer back::

    def work(session: Session) -> OrderOut:
        ...do the work...
        return order_out(order)

    order = run_once(f"order:{buyer_id}", key, body, work, answer=OrderOut)

The answer is stored as ``answer.model_dump(mode="json")`` and a replay returns
``answer.model_validate(stored)``: an equal model, whose JSON is the first one's. A replay
returns the first answer; the same key with another body is a 422. Two
concurrent requests with one key cannot both commit: the key's unique index makes the
second fail (``is_duplicate_key``), and its caller retries and gets the replay.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import JSON, String, UniqueConstraint, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from quanzi.core import clock
from quanzi.core.db import Base, UTCDateTime, read_session, table, transaction
from quanzi.core.errors import InvalidInput, QuanziError

MAX_KEY_LENGTH = 128

Answer = TypeVar("Answer", bound=BaseModel)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(96))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# built once: every order and payment runs them
_K = table(IdempotencyKey).c  # Core, on the table: the ORM's statements cost more
_STORED = select(_K.request_hash, _K.response).where(
    _K.scope == bindparam("scope"), _K.key == bindparam("key"))
_REMEMBER = insert(table(IdempotencyKey))


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


def replay(session: Session, scope: str, key: str, body: Any,
           answer: type[Answer]) -> Answer | None:
    """The stored answer for ``key`` as an ``answer``, None if unseen; 422 if it came with
    another body."""
    row = session.execute(_STORED, {"scope": scope, "key": key}).first()
    if row is None:
        return None
    if row.request_hash != fingerprint(body):
        raise InvalidInput("this Idempotency-Key was used with a different request body",
                           code="idempotency_key_reused")
    return from_stored(answer, row.response)


def remember(session: Session, scope: str, key: str, body: Any, response: BaseModel) -> None:
    """Store the answer for ``key`` (as its JSON) in the current transaction (flushes)."""
    session.execute(_REMEMBER, {"scope": scope, "key": key, "request_hash": fingerprint(body),
                                "response": stored_form(response), "created_at": clock.now()})


def stored_form(response: BaseModel) -> dict[str, Any]:
    """What is kept of an answer: its JSON (the body the client got the first time)."""
    return response.model_dump(mode="json")


def from_stored(answer: type[Answer], stored: dict[str, Any]) -> Answer:
    """A stored answer read back as an ``answer``; ``stored_form`` of it is ``stored`` again.

    Rows written before the answers were typed hold the same JSON, so they read back too.
    A stored answer that does not fit ``answer`` raises pydantic's ``ValidationError``.
    """
    return answer.model_validate(stored)


def is_duplicate_key(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "idempotency_keys" in text or "uq_idempotency_keys" in text


def _stored_answer(scope: str, key: str, body: Any, answer: type[Answer]) -> Answer | None:
    with read_session() as session:
        return replay(session, scope, key, body, answer)


def run_once(scope: str, key: str, body: Any, work: Callable[[Session], Answer], *,
             answer: type[Answer], seen: bool | None = None) -> Answer:
    """Run ``work(session)`` once per ``(scope, key)`` and return its answer.

    Most keys are new, so the work runs first and the key is written with its answer in
    the same transaction; a key used before loses on its unique index, the attempt rolls
    back (undoing anything it reserved) and the stored answer is returned, equal to the
    first. A concurrent duplicate loses the same way. The first run returns the very
    object ``work`` returned. A ``work`` that refuses (a ``QuanziError``) stores nothing,
    so the client may retry with the same key; before the refusal is answered the key is
    looked up, and a request that succeeded before gets its first answer, though its work
    would refuse now (the goods sold out since, the order is paid). ``seen`` is what the
    caller knows of the key (the flash-sale counter keeps the keys it saw): False, it is
    new, and a refusal is answered without the lookup; True, it was probably used, and
    it is looked up before the work, as a retry usually wants its first answer.
    """
    for attempt in range(3):
        try:
            with transaction() as session:
                done = replay(session, scope, key, body, answer) if attempt or seen else None
                if done is not None:
                    return done
                result = work(session)
                remember(session, scope, key, body, result)
                return result
        except IntegrityError as exc:
            if attempt == 2 or not is_duplicate_key(exc):
                raise
        except QuanziError:
            if seen is not None or attempt:
                raise
            done = _stored_answer(scope, key, body, answer)
            if done is None:
                raise
            return done
    raise AssertionError("unreachable")
