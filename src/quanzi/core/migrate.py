"""Run the Alembic migrations shipped inside the package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Integer, inspect
from sqlalchemy.types import TypeEngine

from quanzi.core.db import create_sqlite_file, get_db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


HAND_MADE = ("product_search", "ix_products_search_tokens")


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Leave out what migrations make by hand and the models don't describe: the search
    table (SQLite FTS5) and the full-text index (PostgreSQL GIN)."""
    return not (name is not None and type_ in {"table", "index"} and name.startswith(HAND_MADE))


def compare_type(context: MigrationContext, inspected_column: object,
                 metadata_column: object, inspected_type: TypeEngine[object],
                 metadata_type: TypeEngine[object]) -> bool | None:
    """Alembic's type comparison, except that on SQLite INTEGER and BIGINT are one type.

    SQLite stores every integer in up to 8 bytes whatever the column is declared as, so
    the money columns widened to BIGINT for PostgreSQL (migration 0004) need no change
    there. None lets Alembic compare as usual.
    """
    if (context.dialect.name == "sqlite" and isinstance(inspected_type, Integer)
            and isinstance(metadata_type, Integer)):
        return False
    return None


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
