"""Run the Alembic migrations shipped inside the package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from quanzi.core.db import create_sqlite_file, get_db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


HAND_MADE = ("product_search", "ix_products_search_tokens")


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Leave out what migrations make by hand and the models don't describe: the search
    table (SQLite FTS5) and the full-text index (PostgreSQL GIN)."""
    return not (name is not None and type_ in {"table", "index"} and name.startswith(HAND_MADE))


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Apply every migration not yet applied to the database at ``url`` (default: configured).
    A new SQLite file is created readable by its owner only."""
    url = url or get_db().url
    create_sqlite_file(url)
    command.upgrade(alembic_config(url), "head")


def is_empty(url: str | None = None) -> bool:
    """True when the database has no quanzi tables yet."""
    engine = get_db().write_engine if url is None else None
    if engine is None:
        from sqlalchemy import create_engine
        engine = create_engine(url or "")
    return not inspect(engine).has_table("alembic_version")
