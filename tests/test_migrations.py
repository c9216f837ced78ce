"""The migrations build exactly the schema the models describe, on the suite's backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quanzi import tables
from quanzi.core.migrate import compare_type, include_object


def test_models_and_migrations_agree(db):
    with db.write_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type,
                                                         "include_object": include_object})
        diff = compare_metadata(context, tables.Base.metadata)
    assert diff == []
