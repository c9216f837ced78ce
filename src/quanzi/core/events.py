"""Domain events through an outbox.

Each kind of event is a pydantic model, a subclass of :class:`Event` whose ``name``
says its kind (``orders.events.OrderPaid`` is ``"order.paid"``). A service calls
``emit(session, OrderPaid(...))`` inside its transaction, so the event is stored if and
only if the change it describes is; the outbox row keeps the name and the model's JSON.
After commit the events are dispatched: inline in development (``QUANZI_INLINE_EVENTS``),
by ``quanzi worker`` otherwise, and by both without harm: an event is claimed by a
conditional update and its handlers run in the claiming transaction, so each event takes
effect once.

Handlers are registered in a plain dict by kind (``subscribe(OrderPaid, handler)``); a
handler receives the session of the dispatching transaction and the payload read back as
its model, and only flushes. A row written before the payloads were typed holds the same
JSON, so it reads back too::

    events.subscribe(OrderPaid, count_sales)      # count_sales(session, event: OrderPaid)
    events.emit(session, OrderPaid(order_id=7, ...))
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.db import Base, UTCDateTime, on_after_commit, table, transaction

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


class Event(BaseModel):
    """An event's payload; each kind is a subclass naming itself in ``name``."""

    model_config = ConfigDict(frozen=True)

    name: ClassVar[str]


Kind = TypeVar("Kind", bound=Event)
_Subscriber = tuple[type[Event], Callable[[Session, Any], None]]
_handlers: dict[str, list[_Subscriber]] = {}


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxFailure(Base):
    """One failed attempt to handle an event (kept for operators)."""

    __tablename__ = "outbox_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("outbox_events.id"), index=True)
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# built once, run for every event; Core, on the table (the ORM's statements cost more)
_E = table(OutboxEvent).c
_NEW_EVENT = insert(table(OutboxEvent)).returning(_E.id)
_CLAIM = (update(table(OutboxEvent))
          .where(_E.id == bindparam("event"), _E.processed_at.is_(None))
          .values(processed_at=bindparam("at"), attempts=_E.attempts + 1)
          .returning(_E.name, _E.payload))


def subscribe(kind: type[Kind], handler: Callable[[Session, Kind], None]) -> None:
    """Call ``handler(session, event)`` for every event of ``kind`` (added once)."""
    bucket = _handlers.setdefault(kind.name, [])
    if (kind, handler) not in bucket:
        bucket.append((kind, handler))


def emit(session: Session, event: Event) -> None:
    """Store ``event`` in the caller's transaction; it is dispatched after commit."""
    event_id = session.execute(_NEW_EVENT, {
        "name": event.name, "payload": event.model_dump(mode="json"), "created_at": clock.now(),
        "attempts": 0}).scalar_one()
    session.info.setdefault("outbox_ids", []).append(event_id)


def read(kind: type[Kind], payload: dict[str, Any]) -> Kind:
    """A stored payload as its ``kind`` (pydantic's ``ValidationError`` if it does not fit)."""
    return kind.model_validate(payload)


def dispatch(event_id: int) -> bool:
    """Handle one event if nobody has; True when this call handled it.

    Errors roll the handlers back, are recorded, and leave the event for a retry.
    """
    try:
        with transaction() as session:
            claimed = session.execute(  # the claim brings the event back: one statement
                _CLAIM, {"event": event_id, "at": clock.now()}).first()
            if claimed is None:
                return False
            for kind, handler in _handlers.get(claimed.name, []):
                handler(session, read(kind, claimed.payload))
        return True
    except Exception as exc:  # a handler failed: keep the event for a retry
        log.exception("event %s failed", event_id)
        _record_failure(event_id, exc)
        return False


def _record_failure(event_id: int, exc: Exception) -> None:
    with transaction() as session:
        session.add(OutboxFailure(event_id=event_id, error=repr(exc)[:2000],
                                  created_at=clock.now()))
        session.execute(update(OutboxEvent).where(OutboxEvent.id == event_id)
                        .values(attempts=OutboxEvent.attempts + 1, last_error=repr(exc)[:2000]))


def dispatch_pending(limit: int = 500) -> int:
    """Handle every unprocessed event (oldest first); returns how many this call handled."""
    with transaction() as session:
        ids = session.scalars(
            select(OutboxEvent.id)
            .where(OutboxEvent.processed_at.is_(None), OutboxEvent.attempts < MAX_ATTEMPTS)
            .order_by(OutboxEvent.id).limit(limit)
        ).all()
    return sum(dispatch(event_id) for event_id in ids)


def _dispatch_inline(info: dict[str, Any]) -> None:
    ids = info.get("outbox_ids")
    if ids and get_settings().inline_events:
        for event_id in ids:
            dispatch(event_id)


def plug() -> None:
    """Dispatch a transaction's events after it commits, when ``inline_events`` is on
    (``quanzi.wiring.wire``)."""
    on_after_commit(_dispatch_inline)
