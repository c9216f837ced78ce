"""A loop that runs a round of work every ``interval`` seconds, while holding a lease.

Example::

    scheduler = Scheduler(run_sweeps, name="sweeps", interval=2.0,
                          lease=lease_for(settings, "sweeps"))
    scheduler.run()  # blocks; scheduler.stop() (from a signal handler) ends it

Each tick first takes or renews the lease for :func:`lease_ttl` ``(interval)``, then runs
the round; a tick that finds the lease held elsewhere runs nothing, so of several
schedulers on one database one fires at a time, and another takes over at its next tick
once the holder releases the lease (on stop) or its ttl runs out (a crash). A round that
outlasts the ttl may meet a second scheduler's: the work must stay safe to run twice at
once (every sweep claims its rows by conditional update). Without a lease every tick
runs the round.

A round that raises is logged, and the next tick goes on as usual; a lease that cannot
be reached is logged once, and nothing runs until it answers. ``alive`` is asked at every
tick and at least once a second in between: once it answers False (the parent process is
gone) the loop ends. On the way out the lease is released.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from quanzi.core.lease import Lease, holder_name

log = logging.getLogger(__name__)

__all__ = ["MIN_TTL", "Scheduler", "lease_ttl"]

MIN_TTL = timedelta(seconds=15)
_ALIVE_CHECK_S = 1.0


def lease_ttl(interval: float) -> timedelta:
    """How long one tick holds the lease: five intervals, and at least :data:`MIN_TTL`."""
    return max(MIN_TTL, timedelta(seconds=5 * interval))


class Scheduler:
    """Runs ``round()`` every ``interval`` seconds until :meth:`stop` or ``alive()`` is False."""

    def __init__(self, round: Callable[[], object], *, name: str, interval: float,
                 lease: Lease | None = None, alive: Callable[[], bool] = lambda: True,
                 holder: str | None = None) -> None:
        self.round, self.name, self.interval = round, name, interval
        self.lease, self.alive = lease, alive
        self.holder = holder or holder_name()
        self.holding: bool | None = None  # unknown until the first tick
        self._unreachable = False
        self._stopped = threading.Event()

    def stop(self) -> None:
        """End :meth:`run` after the round under way (safe from a signal handler)."""
        self._stopped.set()

    def run(self) -> None:
        """Tick every ``interval`` seconds until stopped; then release the lease."""
        try:
            while not self._stopped.is_set() and self.alive():
                started = time.monotonic()
                self.tick()
                self._sleep_until(started + self.interval)
        finally:
            self._release()

    def tick(self) -> bool:
        """One tick: True when it ran the round (it held the lease, or needs none)."""
        if not self._hold():
            return False
        try:
            self.round()
        except Exception:  # the next tick tries again
            log.exception("the %s failed; the next round runs in %g s", self.name, self.interval)
        return True

    def _hold(self) -> bool:
        if self.lease is None:
            return True
        try:
            held = self.lease.hold(self.holder, lease_ttl(self.interval))
        except Exception:  # its store is down: run nothing until it answers
            if not self._unreachable:  # once, not at every tick
                log.exception("could not reach the lease of the %s; standing by", self.name)
            self._unreachable, self.holding = True, False
            return False
        if self._unreachable:
            log.info("the lease of the %s answers again", self.name)
            self._unreachable = False
        if held != self.holding:
            self._say(held)
        self.holding = held
        return held

    def _say(self, held: bool) -> None:
        """Log a change of hands (once, not at every tick)."""
        if held:
            log.info("this process runs the %s (%s)", self.name, self.holder)
            return
        try:
            other = self.lease.holder() if self.lease is not None else None
        except Exception:  # noqa: BLE001 - only for the message
            other = None
        log.info("the %s are run by %s; this process stands by", self.name,
                 other or "another process")

    def _sleep_until(self, deadline: float) -> None:
        while not self._stopped.is_set() and self.alive():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._stopped.wait(min(left, _ALIVE_CHECK_S))

    def _release(self) -> None:
        if self.lease is None or not self.holding:
            return
        try:
            self.lease.release(self.holder)
        except Exception:  # it expires by itself
            log.exception("could not release the lease; it expires by itself")
        self.holding = False
