"""The sweeps' lease, and an index for the refunds sweep that now runs every 2 seconds.

Revision ID: 0006
Revises: 0005

``scheduler_leases`` holds one row per duty (``sweeps``), taken by a conditional update
(``core.lease.DatabaseLease``) when no Redis is configured, so that of the schedulers
sharing a database (``quanzi serve``'s child, ``quanzi worker``) one fires at a time.

``ix_payment_refunds_status``: ``payments.refunds.send_pending`` looks for the ``pending``
refunds several times a round; without it each look reads every refund ever made.
"""

import sqlalchemy as sa
from alembic import op

import quanzi.core.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", quanzi.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    op.create_index(op.f("ix_payment_refunds_status"), "payment_refunds", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_refunds_status"), table_name="payment_refunds")
    op.drop_table("scheduler_leases")
