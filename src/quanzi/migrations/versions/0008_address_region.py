"""Addresses keep the GB/T 2260 code of their region.

Revision ID: 0008
Revises: 0007

``addresses.region_code`` is the code of the region picked in the 省/市/区 picker or
recognised by 智能填写 (``accounts.regions``); ``region`` stays the text people read and
the API's contract. Addresses saved before have no code.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("addresses", sa.Column("region_code", sa.String(length=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        batch.drop_column("region_code")
