"""Regenerate migrations/versions/0001_initial.py from the models (pre-release only).

Usage: python scripts/regen_initial_migration.py
"""

from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from quanzi import tables

TARGET = Path(__file__).resolve().parent.parent / "src/quanzi/migrations/versions/0001_initial.py"

HEADER = '''"""Initial schema.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

import quanzi.core.db

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


'''


def _tidy(code: str) -> str:
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("# ###")]
    return "\n".join(lines).replace("UTCDateTime(timezone=True)", "UTCDateTime()")


def main() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": False})
        script = produce_migrations(context, tables.Base.metadata)
    opts = {"render_as_batch": False, "alembic_module_prefix": "op.",
            "sqlalchemy_module_prefix": "sa.", "user_module_prefix": None}
    up = render_python_code(script.upgrade_ops, **opts)
    down = render_python_code(script.downgrade_ops, **opts)
    up, down = (_tidy(code) for code in (up, down))
    body = HEADER + "def upgrade() -> None:\n" + up + "\n\ndef downgrade() -> None:\n" + down + "\n"
    TARGET.write_text(body)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
