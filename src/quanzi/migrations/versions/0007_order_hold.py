"""Orders on hold: a 拼团 order may not ship until its group has formed.

Revision ID: 0007
Revises: 0006

``orders.hold`` names why an order may not ship yet (``orders.domain.HOLDS``): a group-buy
order is placed with ``group_not_formed`` and released when its group succeeds. Group-buy
orders already placed in groups still open are put on hold here, so none ships early.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("hold", sa.String(length=30), nullable=True))
    op.execute("UPDATE orders SET hold = 'group_not_formed' WHERE kind = 'group_buy'"
               " AND status IN ('pending_payment', 'paid') AND campaign_ref IN"
               " (SELECT 'group:' || CAST(id AS VARCHAR(20)) FROM groups"
               " WHERE status = 'open')")


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("hold")
