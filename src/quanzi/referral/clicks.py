"""Clicks are buffered in memory and written in batches, off the request path.

``buffer.add(record)`` is all a request does (a list append under a lock). A
background thread writes the pending clicks when ``max_batch`` are waiting or every
``interval`` seconds (``QUANZI_CLICK_FLUSH_INTERVAL``, 0.5 s); ``close()`` (the app's
shutdown, after uvicorn has answered the requests under way on SIGTERM) stops it and
writes the rest, so a graceful shutdown loses nothing. A failed write puts the batch back
for the next attempt. Each process has its own buffer; nothing else is kept only in
memory.
"""

import hashlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio

from quanzi.core import security
from quanzi.core.config import get_settings
from quanzi.core.db import transaction
from quanzi.referral.models import Click

log = logging.getLogger(__name__)

ClickRow = dict[str, Any]
MAX_PENDING = 500_000  # beyond this (database down for long) the oldest clicks are dropped


_COLUMNS = ("share_id", "visitor_id", "channel", "referrer", "ip_hash", "user_agent",
            "is_preview", "created_at")


def write_clicks(rows: list[ClickRow]) -> None:
    """Insert ``rows`` (Click column values) in one transaction with the driver's own
    executemany: this runs beside the redirect in the same process, so no per-row
    SQLAlchemy work. Times go in as the ``UTCDateTime`` column stores them."""
    with transaction() as session:
        connection = session.connection()
        sqlite = connection.dialect.name == "sqlite"
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        sql = (f"INSERT INTO {Click.__tablename__} ({', '.join(_COLUMNS)}) "
               f"VALUES ({', '.join([mark] * len(_COLUMNS))})")
        connection.exec_driver_sql(sql, [_values(row, sqlite) for row in rows])


def _values(row: ClickRow, sqlite: bool) -> tuple[Any, ...]:
    at: datetime = row["created_at"]
    stamp = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at
    return (row["share_id"], row["visitor_id"], row["channel"], row["referrer"],
            row["ip_hash"], row["user_agent"], row["is_preview"], stamp)


class ClickBuffer:
    """A thread-safe batch writer of clicks (see the module docstring)."""

    def __init__(self, *, max_batch: int = 1000, interval: float = 0.5,
                 writer: Callable[[list[ClickRow]], None] = write_clicks) -> None:
        self.max_batch, self.interval, self._writer = max_batch, interval, writer
        self._pending: list[ClickRow] = []
        self._lock = threading.Lock()        # guards _pending
        self._flush_lock = threading.Lock()  # one writer at a time
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def add(self, row: ClickRow) -> None:
        """Queue one click; never touches the database unless no writer thread runs."""
        with self._lock:
            self._pending.append(row)
            size = len(self._pending)
            if size > MAX_PENDING:
                del self._pending[: size - MAX_PENDING]
                log.error("click buffer overflow: dropped %d clicks", size - MAX_PENDING)
        if size >= self.max_batch:
            if self.running:
                self._wake.set()
            else:
                self.flush()

    def flush(self) -> int:
        """Write every pending click now; returns how many were written.

        On a write error the batch goes back to the front of the queue and the error
        propagates.
        """
        written = 0
        with self._flush_lock:
            while True:
                with self._lock:
                    batch, self._pending = self._pending, []
                if not batch:
                    return written
                try:
                    self._writer(batch)
                except Exception:
                    with self._lock:
                        self._pending[:0] = batch
                    raise
                written += len(batch)

    def start(self) -> None:
        """Start the background writer (idempotent)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="click-writer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the writer thread and write what is left (the graceful-shutdown path)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # kept for the next attempt; the thread must not die
                log.exception("writing clicks failed; will retry")


buffer = ClickBuffer()


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Run the click writer for the app's lifetime (every ``QUANZI_CLICK_FLUSH_INTERVAL``)
    and flush it on shutdown."""
    buffer.interval = get_settings().click_flush_interval.total_seconds()
    buffer.start()
    try:
        yield
    finally:
        await anyio.to_thread.run_sync(buffer.close)


_salt: bytes | None = None


def ip_hash(ip: str | None) -> str | None:
    """Salted SHA-256 of an IP address (the salt derives from the secret key)."""
    global _salt
    if not ip:
        return None
    if _salt is None:
        _salt = security.derive_key("click-ip", get_settings().resolved_secret_key()).encode()
    return hashlib.sha256(_salt + ip.encode()).hexdigest()


def click_row(*, share_id: int, visitor_id: str | None, channel: str, referrer: str | None,
              ip: str | None, user_agent: str, is_preview: bool, at: datetime) -> ClickRow:
    """The stored values of one click (truncated, IP hashed)."""
    return {"share_id": share_id, "visitor_id": visitor_id, "channel": channel,
            "referrer": (referrer or None) and referrer[:500], "ip_hash": ip_hash(ip),
            "user_agent": user_agent[:300] or None, "is_preview": is_preview, "created_at": at}
