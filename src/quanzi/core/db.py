"""Engines, sessions and the declarative base.

Two session factories share one database:

* ``transaction()`` opens a write transaction. On SQLite the writers first take their
  turn in one queue (``core.write_turn``: a lock in the process, a file lock across
  processes), then begin with ``BEGIN IMMEDIATE``: a writer waits for the one before it
  and starts the moment it commits, instead of sleeping in SQLite's busy handler (steps
  of up to 100 ms), and never fails with "database is locked" halfway through. On
  PostgreSQL it is an ordinary READ COMMITTED transaction and services lock rows where
  they must.
* ``read_session()`` is for queries: on SQLite a deferred transaction that never
  blocks writers (WAL mode); on PostgreSQL autocommit, where each statement sees its own
  snapshot as it would inside a READ COMMITTED transaction, without the BEGIN and
  ROLLBACK round trips.
* ``single_write()`` is for a write of one statement: on PostgreSQL in autocommit too
  (no BEGIN and COMMIT round trips); on SQLite a transaction like ``transaction()``'s.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    CursorResult,
    DateTime,
    Engine,
    MetaData,
    QueuePool,
    Table,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Session,
    configure_mappers,
    make_transient_to_detached,
    sessionmaker,
)
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeDecorator

from quanzi.core.config import get_settings
from quanzi.core.write_turn import WriteTurn

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table(model: type[Base]) -> Table:
    """A model's table, for plain Core statements on the hot paths: ``insert(table(X))``
    runs as one statement, where ``insert(X)`` goes through the ORM's bulk machinery
    (several times the cost for one row). Columns are ``table(X).c.name``."""
    return model.metadata.tables[model.__tablename__]


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_sqlite_file(url: str) -> None:
    """Create the database file of a SQLite ``url`` readable by its owner only (0600),
    when it does not exist yet; SQLite gives its ``-wal`` and ``-shm`` files the mode of
    the database file. An existing file, a URL of another database, ``:memory:`` or a
    missing folder are left alone (SQLite reports the last when it connects)."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" \
            or name.startswith("file:"):
        return
    with suppress(FileExistsError, FileNotFoundError):
        os.close(os.open(Path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 60},
        pool_size=8,
        max_overflow=24,
        pool_timeout=120,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


POOL_RECYCLE = 300  # seconds: an older pooled connection is replaced when checked out


def _make_engines(url: str, *, prepare: bool) -> tuple[Engine, Engine]:
    if url.startswith("sqlite"):
        create_sqlite_file(url)
        return _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False)
    engine = create_engine(url, pool_size=10, max_overflow=30, pool_timeout=120,
                           pool_recycle=POOL_RECYCLE,
                           connect_args=server_connect_args(url, prepare=prepare))
    # reads run in autocommit: under READ COMMITTED each statement sees its own snapshot
    # whether or not a transaction surrounds it, so BEGIN and ROLLBACK would be two round
    # trips that change nothing
    return engine, engine.execution_options(isolation_level="AUTOCOMMIT")


def server_connect_args(url: str, *, prepare: bool) -> dict[str, Any]:
    """What psycopg's ``connect()`` is given besides the URL (nothing for SQLite).

    ``prepare=False`` (``QUANZI_DATABASE_PREPARE=off``) turns psycopg's prepared
    statements off (``prepare_threshold=None``), as PgBouncer in transaction mode needs:
    there a statement prepared on one server connection may be executed on another.

    No ``pool_pre_ping``: its round trip on every checkout cost as much as a statement
    of the checkout itself. Connections are recycled after ``POOL_RECYCLE`` seconds
    instead, and one the server dropped fails its request once, after which the pool
    throws away every connection it had opened before (SQLAlchemy's disconnect handling).
    """
    if prepare or make_url(url).get_backend_name() != "postgresql":
        return {}
    return {"prepare_threshold": None}


def _writers_file(url: str) -> Path | None:
    """The lock file that queues the writers of a SQLite database file across processes
    (``core.write_turn``); None for a database no other process can open."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(f"{name}-writers")


class Database:
    """The engines and session factories for one database URL."""

    def __init__(self, url: str, *, prepare: bool = True) -> None:
        self.url = url
        self.write_engine, self.read_engine = _make_engines(url, prepare=prepare)
        # the engines whose events cover every connection of the database: on PostgreSQL
        # the read engine is the write engine with options, and shares its events
        self.engines: tuple[Engine, ...] = (
            (self.write_engine,) if self.read_engine.pool is self.write_engine.pool
            else (self.write_engine, self.read_engine))
        self.writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self.reader = sessionmaker(self.read_engine, expire_on_commit=False)
        self._turn = WriteTurn(_writers_file(url)) if self.dialect == "sqlite" else None

    def write_turn(self) -> AbstractContextManager[None]:
        """Held around each write transaction: on SQLite the process's writers queue
        here; on PostgreSQL nothing (rows are locked where they must be)."""
        return self._turn if self._turn is not None else nullcontext()

    def try_write_turn(self) -> bool:
        """On SQLite, take the write turn if no writer holds it or is queued for it, without
        waiting (``WriteTurn.try_enter``); True when taken: leave it with
        :meth:`leave_write_turn`. Always False on PostgreSQL, where a write may wait on a row
        lock at any statement."""
        return self._turn is not None and self._turn.try_enter()

    def leave_write_turn(self) -> None:
        assert self._turn is not None
        self._turn.__exit__()

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    def dispose(self) -> None:
        if self._turn is not None:
            self._turn.close()
        for engine in self.engines:
            engine.dispose()


_db: Database | None = None


def get_db() -> Database:
    global _db
    if _db is None:
        settings = get_settings()
        _db = Database(settings.database_url, prepare=settings.database_prepare)
    return _db


def open_pool(connections: int = 4) -> None:
    """Open the database at startup: a server that cannot reach it fails at once, and the
    first requests find the ORM's mappers configured and ``connections`` connections ready
    instead of doing that work themselves."""
    configure_mappers()
    engine = get_db().write_engine
    size = engine.pool.size() if isinstance(engine.pool, QueuePool) else 1
    opened = [engine.connect() for _ in range(min(connections, size))]
    for connection in opened:
        connection.exec_driver_sql("SELECT 1")
        connection.close()


_on_switch: list[Callable[[], None]] = []


def on_database_switch(forget: Callable[[], None]) -> None:
    """Call ``forget()`` whenever the process is pointed at another database.

    In-process caches of rows (sign-ins, sale terms, share targets) register here so
    they never answer with another database's ids.
    """
    if forget not in _on_switch:
        _on_switch.append(forget)


def set_db(db: Database | None) -> None:
    """Point the process at another database (tests, CLI ``--database``)."""
    global _db
    if _db is not None and _db is not db:
        _db.dispose()
    _db = db
    for forget in _on_switch:
        forget()


AfterCommitHook = Callable[[dict[str, Any]], None]
_after_commit: list[AfterCommitHook] = []


def on_after_commit(hook: AfterCommitHook) -> None:
    """Run ``hook(session.info)`` after each ``transaction()`` that committed."""
    if hook not in _after_commit:
        _after_commit.append(hook)


@contextmanager
def transaction() -> Iterator[Session]:
    """One write transaction: commits on success, rolls back on any exception.

    After a commit, the registered after-commit hooks run (the outbox dispatcher in
    development), outside the transaction.
    """
    db = get_db()
    with db.writer() as session:
        with db.write_turn(), session.begin():
            yield session
        info = dict(session.info)
    for hook in _after_commit:
        hook(info)


@contextmanager
def read_session() -> Iterator[Session]:
    with get_db().reader() as session:
        yield session


@contextmanager
def single_read() -> Iterator[Connection]:
    """A connection for a read of one statement, outside any session (on PostgreSQL in
    autocommit, as every read: no BEGIN and ROLLBACK round trips around it)."""
    with get_db().read_engine.connect() as connection:
        yield connection


Model = TypeVar("Model", bound=Base)


def as_loaded(session: Session, model: type[Model], row: dict[str, Any]) -> Model:
    """The ORM object of a row this transaction has just written with a Core insert, put
    in ``session`` as if it had been read back (no SELECT): later changes to it are
    flushed as updates. ``row`` holds every column, the key included (a column left out
    would be loaded again when read). For the hot inserts, where the unit of work costs
    several times the statement."""
    assert row.keys() == _column_names(model), f"{model.__name__}: every column, no more"
    instance = model(**row)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


@cache
def _column_names(model: type[Base]) -> frozenset[str]:
    return frozenset(table(model).c.keys())


@contextmanager
def single_write() -> Iterator[Connection]:
    """A connection for a write of one statement (or a few, each complete by itself).

    On PostgreSQL in autocommit: the statement is its own transaction, without the BEGIN
    and COMMIT round trips around it. On SQLite a write transaction in its turn, as
    ``transaction()`` opens. Nothing here is an event of the outbox's: a write that emits
    events, or whose statements must stand or fall together, uses ``transaction()``.
    """
    db = get_db()
    if db.dialect == "postgresql":
        with db.read_engine.connect() as connection:  # the write engine, in autocommit
            yield connection
        return
    with transaction() as session:
        yield session.connection()


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def changed_rows(session: Session, statement: UpdateBase,
                 params: dict[str, Any] | None = None) -> int:
    """Run one INSERT, UPDATE or DELETE in ``session`` and return how many rows it changed.

    ``Session.execute`` is typed as returning a ``Result``; for these statements it is a
    ``CursorResult``, the one that carries ``rowcount``. A conditional update is taken when
    this is 1: ``changed_rows(session, update(Sku).where(Sku.stock >= n)...) == 1``.
    ``params`` are the values of a statement built with ``bindparam``.
    """
    result = session.execute(statement, params)
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(statement).__name__} gave a result without a row count")
    return result.rowcount
