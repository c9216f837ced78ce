"""Alembic environment: the URL comes from the quanzi settings (or the caller's config)."""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from quanzi import tables
from quanzi.core.config import get_settings
from quanzi.core.db import server_connect_args
from quanzi.core.migrate import compare_type, include_object

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _migrate(connectable)
        return
    prepare = get_settings().database_prepare  # off behind PgBouncer, as for the app
    engine = create_engine(url, poolclass=pool.NullPool,
                           connect_args=server_connect_args(url, prepare=prepare))
    with engine.connect() as connection:
        _migrate(connection)
    engine.dispose()


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=tables.Base.metadata,
                      render_as_batch=True, compare_type=compare_type,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


run()
