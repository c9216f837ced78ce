"""Refund details: a reason code, photos, and the seller's deadline to decide.

Revision ID: 0009
Revises: 0008

``refunds.reason_code`` is one of ``orders.domain.REFUND_REASONS`` beside the free text
``reason``; ``refunds.decide_by`` is when a request left to the seller is approved by the
worker (``QUANZI_REFUND_DECISION``, 48 hours by default). Requests already waiting get
48 hours from when they were asked. ``refund_photos`` holds the re-encoded photos a buyer
attaches (at most 3 per request).
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import quanzi.core.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

WAITING_SO_FAR = timedelta(hours=48)


def upgrade() -> None:
    with op.batch_alter_table("refunds") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("decide_by", quanzi.core.db.UTCDateTime(), nullable=True))
    op.create_table(
        "refund_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", quanzi.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_refund_photos_order_id_orders")),
        sa.ForeignKeyConstraint(["refund_id"], ["refunds.id"],
                                name=op.f("fk_refund_photos_refund_id_refunds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_photos")),
    )
    op.create_index(op.f("ix_refund_photos_order_id"), "refund_photos", ["order_id"])
    op.create_index(op.f("ix_refund_photos_refund_id"), "refund_photos", ["refund_id"])
    _give_waiting_requests_a_deadline()


def _give_waiting_requests_a_deadline() -> None:
    refunds = sa.table("refunds", sa.column("id", sa.Integer()),
                       sa.column("status", sa.String()),
                       sa.column("created_at", quanzi.core.db.UTCDateTime()),
                       sa.column("decide_by", quanzi.core.db.UTCDateTime()))
    bind = op.get_bind()
    waiting = bind.execute(sa.select(refunds.c.id, refunds.c.created_at)
                           .where(refunds.c.status == "requested")).all()
    for refund_id, created_at in waiting:
        bind.execute(sa.update(refunds).where(refunds.c.id == refund_id)
                     .values(decide_by=created_at + WAITING_SO_FAR))


def downgrade() -> None:
    op.drop_index(op.f("ix_refund_photos_refund_id"), table_name="refund_photos")
    op.drop_index(op.f("ix_refund_photos_order_id"), table_name="refund_photos")
    op.drop_table("refund_photos")
    with op.batch_alter_table("refunds") as batch:
        batch.drop_column("decide_by")
        batch.drop_column("reason_code")
