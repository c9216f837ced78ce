"""One SQLite writer at a time, queued in the process and across processes.

SQLite lets one write transaction run at a time. Left to itself, a writer that finds the
database locked sleeps in SQLite's busy handler, in steps that grow to 100 ms, and a sleeping
writer is not woken when the lock frees: under load the writers wait far longer than
the transactions they wait for take. ``WriteTurn`` queues them instead:

* in the process, on a lock whose next waiter starts the moment the holder releases it;
* across processes (``uvicorn --workers N`` on one database file), the thread holding
  that lock also takes an exclusive ``flock`` on ``<database>-writers``, retried every
  2 ms at most, so each process sends one writer at a time and that writer finds
  SQLite's lock free.

``core.db.transaction()`` holds the turn from before ``BEGIN IMMEDIATE`` to after the
commit or rollback::

    turn = WriteTurn(Path("shop.db-writers"))
    with turn:
        ...  # BEGIN IMMEDIATE ... COMMIT

A writer that gets no turn in ``TIMEOUT`` seconds (as SQLite's busy timeout) raises
:class:`WriteTurnTimeout`. The turn is re-entrant in its thread.

``try_enter()`` takes the turn only when it can be had at once and no writer is queued for
it: the bare checkout routes run their work on the event loop that way, and send it to a
thread when it would have to wait (``api/bare.py``).
"""

import fcntl
import os
import threading
import time
from pathlib import Path

TIMEOUT = 60.0  # seconds, as SQLite's busy_timeout
_LONGEST_PAUSE = 0.002  # between two tries of the file lock


class WriteTurnTimeout(TimeoutError):
    """A writer waited ``TIMEOUT`` seconds for its turn."""


class WriteTurn:
    """The writers' queue of one SQLite database (``path``: its lock file, or None for a
    database of this process only, such as ``:memory:``)."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.RLock()
        self._path = path
        self._depth = 0  # how many times the holding thread has entered
        self._fd: int | None = None
        self._fd_pid = 0  # a forked child opens its own: a flock is shared across fork
        self._waiting = 0  # threads in __enter__ that have not got the lock yet
        self._count_lock = threading.Lock()

    def __enter__(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        with self._count_lock:
            self._waiting += 1
        try:
            got = self._lock.acquire(timeout=TIMEOUT)
        finally:
            with self._count_lock:
                self._waiting -= 1
        if not got:
            raise WriteTurnTimeout(f"no turn to write within {TIMEOUT:.0f} s")
        self._depth += 1
        if self._depth == 1 and self._path is not None:
            try:
                self._lock_file(deadline)
            except BaseException:
                self._depth -= 1
                self._lock.release()
                raise

    def try_enter(self) -> bool:
        """Take the turn only if it is free and no writer is queued for it, without
        waiting at all; True when taken (leave it with ``__exit__``). A caller that must
        not block, such as an event loop, runs its writes itself when this is True and
        sends them to a thread otherwise, behind the writers already queued."""
        if self._waiting or not self._lock.acquire(blocking=False):
            return False
        self._depth += 1
        if self._depth == 1 and self._path is not None and not self._try_lock_file():
            self._depth -= 1
            self._lock.release()
            return False
        return True

    def __exit__(self, *_: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()

    def close(self) -> None:
        """Close the lock file (the database is being disposed of)."""
        with self._lock:
            if self._fd is not None and self._fd_pid == os.getpid():
                os.close(self._fd)
            self._fd = None

    def _file(self) -> int:
        assert self._path is not None
        if self._fd is None or self._fd_pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fd_pid = os.getpid()
        return self._fd

    def _try_lock_file(self) -> bool:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock_file(self, deadline: float) -> None:
        pause = 0.0001
        while True:
            if self._try_lock_file():
                return
            if time.monotonic() > deadline:
                raise WriteTurnTimeout(
                    f"another process kept the database busy for {TIMEOUT:.0f} s")
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
