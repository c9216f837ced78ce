"""Password hashes run outside every database transaction, a few at a time, and a login
that names no account costs one verification like a wrong password.

The hasher is our own port (``core.hashing.Hasher``): these tests plug in a fake that
counts, and watch the real database through SQLAlchemy's connection and pool events.
"""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event, func, select

from quanzi.accounts import services as accounts
from quanzi.accounts.models import AuthToken, User
from quanzi.accounts.schemas import RegisterIn
from quanzi.core import hashing
from quanzi.core.db import Database, read_session
from quanzi.core.errors import ServerBusy, Unauthenticated
from tests.factories import PASSWORD, make_user


class DatabaseWatch:
    """Open transactions and checked-out connections of the test's database, right now."""

    def __init__(self, database: Database) -> None:
        self.in_transaction: set[int] = set()
        self.checked_out: set[int] = set()
        hooks = [("begin", self._begin), ("commit", self._end), ("rollback", self._end),
                 ("checkout", self._checkout), ("checkin", self._checkin)]
        self._listening = [(engine.pool if name.startswith("check") else engine, name, hook)
                           for engine in database.engines for name, hook in hooks]
        for target, name, hook in self._listening:
            event.listen(target, name, hook)

    def _begin(self, conn) -> None:  # type: ignore[no-untyped-def]
        self.in_transaction.add(id(conn))

    def _end(self, conn) -> None:  # type: ignore[no-untyped-def]
        self.in_transaction.discard(id(conn))

    def _checkout(self, dbapi_conn, record, proxy) -> None:  # type: ignore[no-untyped-def]
        self.checked_out.add(id(record))

    def _checkin(self, dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
        self.checked_out.discard(id(record))

    def busy(self) -> tuple[int, int]:
        return len(self.in_transaction), len(self.checked_out)

    def close(self) -> None:
        for target, name, hook in self._listening:
            event.remove(target, name, hook)


class CountingHasher:
    """A fake hasher: counts calls, the most running at once, and what the database was
    doing at each call; ``pause`` seconds per call."""

    def __init__(self, watch: DatabaseWatch | None = None, pause: float = 0.0) -> None:
        self.watch, self.pause = watch, pause
        self.hashes = self.verifies = self.running = self.most = 0
        self.seen: list[tuple[int, int]] = []
        self._lock = threading.Lock()

    def _call(self) -> None:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            if self.watch is not None:
                self.seen.append(self.watch.busy())
        time.sleep(self.pause)
        with self._lock:
            self.running -= 1

    def hash(self, password: str) -> str:
        self._call()
        self.hashes += 1
        return "fake$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        self._call()
        self.verifies += 1
        return password_hash == "fake$" + password


@pytest.fixture
def watch(db: Database) -> Iterator[DatabaseWatch]:
    found = DatabaseWatch(db)
    yield found
    found.close()


@pytest.fixture
def plug() -> Iterator:  # type: ignore[type-arg]
    """``plug(hasher, places=N)`` for the test; the settings' argon2 hasher after it."""
    yield hashing.use_hasher
    hashing.use_hasher(None)


def _tokens() -> int:
    with read_session() as session:
        return session.scalar(select(func.count()).select_from(AuthToken)) or 0


def test_register_and_login_hash_with_no_transaction_or_connection_open(watch, plug):
    fake = CountingHasher(watch)
    plug(fake)
    accounts.register(RegisterIn(email="ann@example.cn", password=PASSWORD, name="Ann"))
    accounts.login("ann@example.cn", PASSWORD)
    with pytest.raises(Unauthenticated):
        accounts.login("ann@example.cn", "wrong-horse-9")
    assert (fake.hashes, fake.verifies) == (1, 2)
    assert fake.seen == [(0, 0)] * 3  # nothing open in the database while hashing
    assert _tokens() == 1


def test_an_unknown_login_costs_one_verification_and_writes_nothing(watch, plug):
    fake = CountingHasher(watch)
    plug(fake)
    hashing.verify_unknown("warm-up")  # the dummy hash is made once per process
    fake.verifies = 0
    for login in ("nobody@example.cn", "13900000000"):
        with pytest.raises(Unauthenticated):
            accounts.login(login, PASSWORD)
    assert fake.verifies == 2 and _tokens() == 0
    assert all(busy == (0, 0) for busy in fake.seen)


def test_a_disabled_account_is_answered_like_an_unknown_one(plug):
    user = make_user()
    fake = CountingHasher()
    plug(fake)
    hashing.verify_unknown("warm-up")
    fake.verifies = 0
    from quanzi.core.db import transaction

    with transaction() as session:
        session.get_one(User, user.id).is_active = False
    with pytest.raises(Unauthenticated):
        accounts.login(user.email or "", PASSWORD)
    assert fake.verifies == 1 and _tokens() == 0


def test_at_most_the_slots_hash_at_once_with_twenty_threads(plug):
    fake = CountingHasher(pause=0.02)
    plug(fake, places=2)
    users = [make_user() for _ in range(4)]
    fake.hashes = fake.most = 0

    def attempt(n: int) -> str:
        user = users[n % len(users)]
        password = PASSWORD if n % 2 else "wrong-horse-9"
        try:
            accounts.login(user.email or "", password)
            return "ok"
        except Unauthenticated:
            return "refused"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert fake.most == 2
    assert outcomes.count("ok") == 10 and fake.verifies == 20
    assert _tokens() == 10


def test_a_hash_that_waits_too_long_for_a_slot_is_refused_as_busy(plug, monkeypatch):
    fake = CountingHasher(pause=0.5)
    plug(fake, places=1)
    user = make_user()
    monkeypatch.setattr(hashing, "WAIT_SECONDS", 0.05)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(accounts.login, user.email or "", PASSWORD)
        time.sleep(0.1)
        with pytest.raises(ServerBusy) as refused:
            accounts.login(user.email or "", PASSWORD)
        first.result()
    assert refused.value.status == 503 and refused.value.retry_after == 1
    assert _tokens() == 1


def test_the_real_hasher_still_round_trips():
    digest = hashing.hash_password(PASSWORD)
    assert digest.startswith("$argon2id$")
    assert hashing.verify_password(digest, PASSWORD)
    assert not hashing.verify_password(digest, "wrong-horse-9")
    assert not hashing.verify_password("not a hash", PASSWORD)
