"""The worker as a child of ``quanzi serve``, so that one command runs the whole shop.

Outside production ``serve`` starts ``quanzi worker --parent-pid <its pid>`` before it
serves (one child, whatever ``--workers`` says) and stops it after: the same command,
settings, working directory and database as the server, in the same process group. The
child ignores SIGINT: a Ctrl-C reaches the whole group, the server shuts down first and
then stops the child with SIGTERM (waiting for the sweep under way). A child whose parent
is gone without a word (killed) ends by itself within a second. In production, with
``--no-worker`` or with ``QUANZI_SERVE_WORKER=off`` no child is started: ``quanzi worker``
runs the jobs there.

Example::

    with ending_by_signal(), alongside(start_worker=True):
        uvicorn.run(...)  # a SIGTERM: uvicorn stops, the child stops, the process ends by it
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from quanzi.core.config import Settings

__all__ = ["Interrupted", "alongside", "ending_by_signal", "left_out"]

STOP_WAIT_S = 15.0
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; raised so that cleanup runs before the process ends."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def left_out(settings: Settings, *, no_worker: bool) -> str | None:
    """Why ``serve`` starts no worker of its own, or None when it starts one."""
    if no_worker:
        return "--no-worker"
    if settings.is_production:
        return "QUANZI_ENV=production"
    if not settings.serve_worker:
        return "QUANZI_SERVE_WORKER=off"
    return None


@contextmanager
def alongside(*, start_worker: bool) -> Iterator[subprocess.Popen[bytes] | None]:
    """Run the block with the worker child (when ``start_worker``), stopped on the way out."""
    child = _start() if start_worker else None
    try:
        yield child
    finally:
        if child is not None:
            _stop(child)


def _start() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "quanzi.cli", "worker", "--parent-pid", str(os.getpid())]
    ignoring = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the child
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL)
    finally:
        signal.signal(signal.SIGINT, ignoring)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait for the round under way; past ``STOP_WAIT_S`` the child is killed."""
    if child.poll() is None:
        child.terminate()
    try:
        child.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


@contextmanager
def ending_by_signal() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` for the block, so its cleanup
    runs, then end the process by that signal (its default action), as it would have
    ended without the block. uvicorn keeps its own handlers while it serves and raises
    the signal it got again once it has shut down, which lands here."""
    previous = {sig: signal.signal(sig, _interrupt) for sig in _SIGNALS}
    try:
        yield
    except Interrupted as stopped:
        sys.stdout.flush()
        sys.stderr.flush()
        for sig in _SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        signal.raise_signal(stopped.signum)
        raise  # not reached: the default action of both signals ends the process
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)
