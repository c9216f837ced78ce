"""The analytics rollup's table: one figure per Shanghai day and metric.

Revision ID: 0005
Revises: 0004

``daily_metrics`` is filled by the worker's rollup (``analytics.rollup``); on an
upgraded database it starts empty and the first rollup computes every past day.
"""

import sqlalchemy as sa
from alembic import op

import quanzi.core.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_metrics",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("rolled_at", quanzi.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", "metric", name=op.f("pk_daily_metrics")),
    )


def downgrade() -> None:
    op.drop_table("daily_metrics")
