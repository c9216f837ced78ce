"""Money columns become 64-bit, and an order has at most one open payment per purpose.

Revision ID: 0004
Revises: 0003

Every fen column and every column that sums quantities (stock, sold counters) becomes
BIGINT on PostgreSQL. SQLite's INTEGER already holds 64 bits, so its columns are left as
they are (``core.migrate.compare_type`` treats the two as one type there).

``uq_payments_open_purpose`` is a partial unique index over (order_id, purpose) of the
payments still ``created``. Before it is built, surplus open payments of one order and
purpose (left by the race this index closes) are ``closed``, keeping the oldest open: a
callback for a closed payment is still recorded and refunded (``payments.services``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WIDENED: dict[str, tuple[str, ...]] = {
    "products": ("sold_count",),
    "skus": ("price_fen", "stock"),
    "orders": ("total_fen", "refunded_fen", "deposit_fen"),
    "order_lines": ("price_fen", "refunded_fen"),
    "refunds": ("amount_fen",),
    "payments": ("amount_fen", "refunded_fen"),
    "payment_refunds": ("amount_fen",),
    "postings": ("amount_fen",),
    "payouts": ("amount_fen",),
    "commissions": ("line_amount_fen", "amount_fen", "reversed_fen", "clawed_back_fen"),
    "flash_sales": ("price_fen", "stock", "sold"),
    "group_buys": ("price_fen",),
    "bargains": ("start_price_fen", "floor_price_fen"),
    "bargain_runs": ("start_price_fen", "current_price_fen"),
    "bargain_helps": ("cut_fen",),
    "tiered_deals": ("final_price_fen",),
    "tiered_participants": ("paid_price_fen", "refunded_fen"),
    "presales": ("price_fen", "deposit_fen", "deposit_worth_fen"),
}
OPEN = "status = 'created'"
INDEX = "uq_payments_open_purpose"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _retype(sa.Integer(), sa.BigInteger())
    op.execute(
        "UPDATE payments SET status = 'closed' WHERE status = 'created' AND EXISTS ("
        "SELECT 1 FROM payments AS older WHERE older.order_id = payments.order_id "
        "AND older.purpose = payments.purpose AND older.status = 'created' "
        "AND older.id < payments.id)")
    op.create_index(INDEX, "payments", ["order_id", "purpose"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="payments")
    if op.get_bind().dialect.name == "postgresql":
        _retype(sa.BigInteger(), sa.Integer())


def _retype(old: sa.types.TypeEngine[int], new: sa.types.TypeEngine[int]) -> None:
    for table, columns in WIDENED.items():
        for column in columns:
            op.alter_column(table, column, type_=new, existing_type=old)
