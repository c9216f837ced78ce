"""Community group buying: pickup points, leaders' applications, batches, batch orders,
arrivals, pickup attempts, the frozen pick lists and dispatch notes; commissions gain a
``kind`` (``promoter`` or ``leader``), unique per line, level and kind.

Revision ID: 0010
Revises: 0009

The lead rechains this after 0008 and 0009 at merge; the tables are new, and existing
commissions become ``promoter`` ones by the column's server default.
"""

import sqlalchemy as sa
from alembic import op

import quanzi.core.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opens_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cuts_off_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pickup_from', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('leader_rate_bps', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cut_off_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dispatched_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('arrived_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('leader_rate_bps >= 0 AND leader_rate_bps <= 10000', name=op.f('ck_batches_rate_range')),
    sa.CheckConstraint('opens_at < cuts_off_at AND cuts_off_at <= pickup_from', name=op.f('ck_batches_times_in_order')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_batches_created_by_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_batches_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches'))
    )
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batches_cuts_off_at'), ['cuts_off_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_opens_at'), ['opens_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('pickup_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('province', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=20), nullable=False),
    sa.Column('district', sa.String(length=20), nullable=False),
    sa.Column('community', sa.String(length=60), nullable=False),
    sa.Column('initials', sa.String(length=130), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('h3_cell', sa.String(length=16), nullable=True),
    sa.Column('opening_hours', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_pickup_points_leader_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_points'))
    )
    with op.batch_alter_table('pickup_points', schema=None) as batch_op:
        batch_op.create_index('ix_pickup_points_city_district', ['city', 'district'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_points_h3_cell'), ['h3_cell'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_points_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_points_status'), ['status'], unique=False)

    op.create_table('batch_arrivals',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('arrived_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_arrivals_batch_id_batches')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_batch_arrivals_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_batch_arrivals_recorded_by_users')),
    sa.PrimaryKeyConstraint('batch_id', 'pickup_point_id', name=op.f('pk_batch_arrivals'))
    )
    op.create_table('batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('stock_left', sa.Integer(), nullable=False),
    sa.Column('min_qty_per_point', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_qty_per_point >= 0', name=op.f('ck_batch_items_min_nonnegative')),
    sa.CheckConstraint('stock_left >= 0', name=op.f('ck_batch_items_stock_left_nonnegative')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_items_batch_id_batches')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_batch_items_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_items')),
    sa.UniqueConstraint('batch_id', 'sku_id', name=op.f('uq_batch_items_batch_id_sku_id'))
    )
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batch_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_items_sku_id'), ['sku_id'], unique=False)

    op.create_table('batch_orders',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('pickup_code', sa.String(length=16), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('leader_rate_bps', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('picked_up_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_orders_batch_id_batches')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_batch_orders_buyer_id_users')),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_batch_orders_leader_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_batch_orders_order_id_orders')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_batch_orders_pickup_point_id_pickup_points')),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_batch_orders')),
    sa.UniqueConstraint('pickup_code', name=op.f('uq_batch_orders_pickup_code'))
    )
    with op.batch_alter_table('batch_orders', schema=None) as batch_op:
        batch_op.create_index('ix_batch_orders_batch_point', ['batch_id', 'pickup_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_orders_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_orders_pickup_point_id'), ['pickup_point_id'], unique=False)

    op.create_table('chosen_pickup_points',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('chosen_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_chosen_pickup_points_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_chosen_pickup_points_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_chosen_pickup_points'))
    )
    op.create_table('dispatch_note_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('buyer_name', sa.String(length=64), nullable=False),
    sa.Column('phone_tail', sa.String(length=4), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('spec', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_dispatch_note_rows_batch_id_batches')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_dispatch_note_rows_pickup_point_id_pickup_points')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_note_rows'))
    )
    with op.batch_alter_table('dispatch_note_rows', schema=None) as batch_op:
        batch_op.create_index('ix_dispatch_note_rows_batch_point', ['batch_id', 'pickup_point_id'], unique=False)

    op.create_table('leader_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', quanzi.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_leader_applications_decided_by_users')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_leader_applications_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leader_applications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leader_applications')),
    sa.UniqueConstraint('pickup_point_id', name=op.f('uq_leader_applications_pickup_point_id'))
    )
    with op.batch_alter_table('leader_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leader_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_leader_applications_user_id'), ['user_id'], unique=False)

    op.create_table('pick_list_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('spec', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_pick_list_rows_batch_id_batches')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_pick_list_rows_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_pick_list_rows_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pick_list_rows')),
    sa.UniqueConstraint('batch_id', 'pickup_point_id', 'sku_id', name=op.f('uq_pick_list_rows_batch_id_pickup_point_id_sku_id'))
    )
    with op.batch_alter_table('pick_list_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pick_list_rows_batch_id'), ['batch_id'], unique=False)

    op.create_table('pickup_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verifier_id', sa.Integer(), nullable=False),
    sa.Column('pickup_point_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('code_tail', sa.String(length=4), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('at', quanzi.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'], name=op.f('fk_pickup_attempts_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['verifier_id'], ['users.id'], name=op.f('fk_pickup_attempts_verifier_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_attempts'))
    )
    with op.batch_alter_table('pickup_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pickup_attempts_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_attempts_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_attempts_pickup_point_id'), ['pickup_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pickup_attempts_verifier_id'), ['verifier_id'], unique=False)

    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='promoter', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_commissions_order_line_id_level'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_commissions_order_line_id_level_kind'), ['order_line_id', 'level', 'kind'])



def downgrade() -> None:
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_commissions_order_line_id_level_kind'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_commissions_order_line_id_level'), ['order_line_id', 'level'])
        batch_op.drop_column('kind')

    with op.batch_alter_table('pickup_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_attempts_verifier_id'))
        batch_op.drop_index(batch_op.f('ix_pickup_attempts_pickup_point_id'))
        batch_op.drop_index(batch_op.f('ix_pickup_attempts_order_id'))
        batch_op.drop_index(batch_op.f('ix_pickup_attempts_at'))

    op.drop_table('pickup_attempts')
    with op.batch_alter_table('pick_list_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pick_list_rows_batch_id'))

    op.drop_table('pick_list_rows')
    with op.batch_alter_table('leader_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leader_applications_user_id'))
        batch_op.drop_index(batch_op.f('ix_leader_applications_status'))

    op.drop_table('leader_applications')
    with op.batch_alter_table('dispatch_note_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_note_rows_batch_point')

    op.drop_table('dispatch_note_rows')
    op.drop_table('chosen_pickup_points')
    with op.batch_alter_table('batch_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_orders_pickup_point_id'))
        batch_op.drop_index(batch_op.f('ix_batch_orders_buyer_id'))
        batch_op.drop_index('ix_batch_orders_batch_point')

    op.drop_table('batch_orders')
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_items_sku_id'))
        batch_op.drop_index(batch_op.f('ix_batch_items_batch_id'))

    op.drop_table('batch_items')
    op.drop_table('batch_arrivals')
    with op.batch_alter_table('pickup_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_points_status'))
        batch_op.drop_index(batch_op.f('ix_pickup_points_leader_id'))
        batch_op.drop_index(batch_op.f('ix_pickup_points_h3_cell'))
        batch_op.drop_index('ix_pickup_points_city_district')

    op.drop_table('pickup_points')
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batches_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_batches_status'))
        batch_op.drop_index(batch_op.f('ix_batches_opens_at'))
        batch_op.drop_index(batch_op.f('ix_batches_cuts_off_at'))

    op.drop_table('batches')
