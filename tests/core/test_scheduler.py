"""The scheduler's lease and loop (``core.lease``, ``core.scheduler``): of the schedulers
sharing a database one fires its rounds at a time, another takes over when it lets go or
its lease runs out, and a loop ends when told or when its parent process is gone.

Each lease test runs on the database lease and, in a run with Redis, on the Redis lease.
"""

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from quanzi import worker
from quanzi.core import clock
from quanzi.core.config import get_settings
from quanzi.core.lease import DatabaseLease, Lease, RedisLease
from quanzi.core.scheduler import Scheduler, lease_ttl
from tests import backends

TTL = timedelta(seconds=30)
_keys = itertools.count(1)


@dataclass
class Kind:
    """How to make a lease of one kind (two calls: two processes), and how to let a
    lease of ``ttl`` run out."""

    make: Callable[[], Lease]
    run_out: Callable[[timedelta], None]
    ttl: timedelta


@pytest.fixture(params=["database", "redis"])
def kind(request: pytest.FixtureRequest) -> Iterator[Kind]:
    if request.param == "database":
        yield Kind(lambda: DatabaseLease("sweeps"),
                   lambda ttl: clock.advance(ttl + timedelta(seconds=1)), TTL)
        return
    import redis

    client = redis.Redis.from_url(backends.require_redis())
    key = f"quanzi-test-{backends.RUN_ID}:lease:{next(_keys)}"
    try:  # Redis keeps time itself: a short lease, then a short wait
        yield Kind(lambda: RedisLease(client, key),
                   lambda ttl: time.sleep(ttl.total_seconds() + 0.1), timedelta(seconds=0.3))
    finally:
        client.delete(key)
        client.close()


def eventually(check: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.01)


# --- the lease ---------------------------------------------------------------------------

def test_one_holder_at_a_time_and_the_next_takes_over_once_it_lets_go(kind):
    first, second = kind.make(), kind.make()

    assert first.hold("first", kind.ttl)
    assert not second.hold("second", kind.ttl)
    assert first.hold("first", kind.ttl)  # renewed
    assert second.holder() == "first"
    second.release("second")  # not its lease: nothing changes
    assert first.holder() == "first"

    first.release("first")

    assert second.holder() is None
    assert second.hold("second", kind.ttl)
    assert not first.hold("first", kind.ttl)
    assert first.holder() == "second"


def test_a_lease_left_to_run_out_goes_to_the_next_holder(kind):
    crashed, next_one = kind.make(), kind.make()
    assert crashed.hold("crashed", kind.ttl)

    kind.run_out(kind.ttl)

    assert next_one.holder() is None
    assert next_one.hold("next", kind.ttl)
    assert not crashed.hold("crashed", kind.ttl)


def test_of_many_contenders_at_once_exactly_one_holds_the_lease(kind):
    start, won = threading.Barrier(6), []

    def contend(name: str) -> None:
        lease = kind.make()
        start.wait()
        if lease.hold(name, kind.ttl):
            won.append(name)

    threads = [threading.Thread(target=contend, args=(f"h{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(won) == 1
    assert kind.make().holder() == won[0]


# --- the loop ----------------------------------------------------------------------------

class Rounds:
    """A round that counts itself and notices when another scheduler's round overlaps it."""

    busy = threading.Lock()
    overlapped = False

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        if not Rounds.busy.acquire(blocking=False):
            Rounds.overlapped = True
            return
        try:
            self.count += 1
            time.sleep(0.005)
        finally:
            Rounds.busy.release()


def _running(scheduler: Scheduler) -> threading.Thread:
    thread = threading.Thread(target=scheduler.run)
    thread.start()
    return thread


def test_of_two_schedulers_one_fires_and_the_other_takes_over_when_it_stops(kind):
    Rounds.overlapped = False
    rounds_a, rounds_b = Rounds(), Rounds()
    a = Scheduler(rounds_a, name="sweeps", interval=0.02, lease=kind.make(), holder="a")
    b = Scheduler(rounds_b, name="sweeps", interval=0.02, lease=kind.make(), holder="b")
    thread_a = _running(a)
    eventually(lambda: rounds_a.count >= 1)
    thread_b = _running(b)
    try:
        eventually(lambda: rounds_a.count >= 15)
        assert rounds_b.count == 0 and b.holding is False

        a.stop()
        thread_a.join()
        fired_by_a = rounds_a.count
        eventually(lambda: rounds_b.count >= 3)  # took over at its next tick
    finally:
        a.stop()
        b.stop()
        thread_a.join()
        thread_b.join()

    assert rounds_a.count == fired_by_a and not Rounds.overlapped
    assert kind.make().holder() is None  # b let go when it stopped


def test_of_four_schedulers_started_at_the_same_instant_one_fires_every_round(kind):
    Rounds.overlapped = False
    rounds = [Rounds() for _ in range(4)]
    schedulers = [Scheduler(counted, name="sweeps", interval=0.02, lease=kind.make(),
                            holder=f"s{i}") for i, counted in enumerate(rounds)]
    start = threading.Barrier(4)

    def run(scheduler: Scheduler) -> None:
        start.wait()
        scheduler.run()

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    try:
        eventually(lambda: sum(r.count for r in rounds) >= 20)
    finally:
        for scheduler in schedulers:
            scheduler.stop()
        for thread in threads:
            thread.join()

    fired = [i for i, counted in enumerate(rounds) if counted.count]
    assert len(fired) == 1 and not Rounds.overlapped, [r.count for r in rounds]


def test_a_round_that_raises_is_logged_and_the_next_round_runs(caplog):
    calls = []

    def round() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("provider down")
        if len(calls) == 3:
            loop.stop()

    loop = Scheduler(round, name="sweeps", interval=0.01)
    with caplog.at_level(logging.ERROR, logger="quanzi.core.scheduler"):
        loop.run()

    assert len(calls) == 3
    assert "the sweeps failed" in caplog.text and "provider down" in caplog.text


def test_the_loop_ends_within_a_second_once_its_parent_is_gone():
    parent_alive = threading.Event()
    parent_alive.set()
    rounds = Rounds()
    loop = Scheduler(rounds, name="sweeps", interval=60, lease=DatabaseLease("sweeps"),
                     alive=parent_alive.is_set)
    thread = _running(loop)
    eventually(lambda: rounds.count == 1)  # then it sleeps for a minute

    parent_alive.clear()
    started = time.monotonic()
    thread.join(5)

    assert not thread.is_alive() and time.monotonic() - started < 2
    assert DatabaseLease("sweeps").holder() is None  # let go on the way out


def test_serves_child_watches_the_pid_it_was_given():
    not_my_parent = os.getpid()

    loop = worker.scheduler(get_settings(), periodic=True, parent_pid=not_my_parent)
    loop.run()  # returns at once: the process it watches is not its parent

    assert loop.holding is None  # never ticked
    assert worker.scheduler(get_settings(), periodic=True, parent_pid=os.getppid()).alive()


def test_a_lease_outlives_several_ticks():
    assert lease_ttl(2.0) == timedelta(seconds=15)
    assert lease_ttl(60.0) == timedelta(minutes=5)


class Unreachable:
    """A lease whose store is down for the first ``down`` calls."""

    def __init__(self, down: int) -> None:
        self.down = down

    def hold(self, holder: str, ttl: timedelta) -> bool:
        self.down -= 1
        if self.down >= 0:
            raise ConnectionError("lease store down")
        return True

    def release(self, holder: str) -> None:
        """Nothing to let go of."""

    def holder(self) -> str | None:
        return None


def test_while_the_lease_cannot_be_reached_nothing_runs_and_it_is_said_once(caplog):
    rounds = Rounds()
    loop = Scheduler(rounds, name="sweeps", interval=0.01, lease=Unreachable(down=3))

    with caplog.at_level(logging.INFO, logger="quanzi.core.scheduler"):
        ran = [loop.tick() for _ in range(5)]

    assert ran == [False, False, False, True, True] and rounds.count == 2
    assert caplog.text.count("could not reach the lease of the sweeps") == 1
    assert "answers again" in caplog.text and "this process runs the sweeps" in caplog.text
