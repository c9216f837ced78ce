"""Initial schema.

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


def upgrade() -> None:
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=96), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_idempotency_keys_scope_key'))
    )
    op.create_table('journal_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('ref', sa.String(length=60), nullable=False),
    sa.Column('dedupe_key', sa.String(length=100), nullable=False),
    sa.Column('memo', sa.String(length=255), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_journal_entries_dedupe_key'))
    )
    op.create_index(op.f('ix_journal_entries_created_at'), 'journal_entries', ['created_at'], unique=False)
    op.create_index(op.f('ix_journal_entries_kind'), 'journal_entries', ['kind'], unique=False)
    op.create_index(op.f('ix_journal_entries_ref'), 'journal_entries', ['ref'], unique=False)
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('code', name=op.f('uq_ledger_accounts_code'))
    )
    op.create_table('outbox_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('processed_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_events'))
    )
    op.create_index(op.f('ix_outbox_events_name'), 'outbox_events', ['name'], unique=False)
    op.create_index(op.f('ix_outbox_events_processed_at'), 'outbox_events', ['processed_at'], unique=False)
    op.create_table('payment_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_callbacks'))
    )
    op.create_index(op.f('ix_payment_callbacks_payment_id'), 'payment_callbacks', ['payment_id'], unique=False)
    op.create_table('referral_config',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribution_policy', sa.String(length=16), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('binding_days', sa.Integer(), nullable=False),
    sa.Column('self_purchase_rebate', sa.Boolean(), nullable=False),
    sa.Column('auto_approve', sa.Boolean(), nullable=False),
    sa.Column('level1_bp', sa.Integer(), nullable=False),
    sa.Column('level2_enabled', sa.Boolean(), nullable=False),
    sa.Column('level2_bp', sa.Integer(), nullable=False),
    sa.Column('cap_bp', sa.Integer(), nullable=False),
    sa.Column('updated_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('cap_bp >= 0 AND cap_bp <= 10000', name=op.f('ck_referral_config_cap_range')),
    sa.CheckConstraint('level2_bp <= level1_bp', name=op.f('ck_referral_config_level2_le_level1')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_config'))
    )
    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('fee_bp', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('fee_bp >= 0 AND fee_bp <= 10000', name=op.f('ck_suppliers_fee_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('name', name=op.f('uq_suppliers_name'))
    )
    op.create_table('outbox_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['outbox_events.id'], name=op.f('fk_outbox_failures_event_id_outbox_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_failures'))
    )
    op.create_index(op.f('ix_outbox_failures_event_id'), 'outbox_failures', ['event_id'], unique=False)
    op.create_table('postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_fen <> 0', name=op.f('ck_postings_nonzero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_postings_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_postings_entry_id_journal_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings'))
    )
    op.create_index(op.f('ix_postings_account_id'), 'postings', ['account_id'], unique=False)
    op.create_index(op.f('ix_postings_entry_id'), 'postings', ['entry_id'], unique=False)
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('images', sa.JSON(), nullable=False),
    sa.Column('on_shelf', sa.Boolean(), nullable=False),
    sa.Column('search_tokens', sa.Text(), nullable=False),
    sa.Column('sold_count', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_products_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products'))
    )
    op.create_index(op.f('ix_products_category'), 'products', ['category'], unique=False)
    op.create_index(op.f('ix_products_on_shelf'), 'products', ['on_shelf'], unique=False)
    op.create_index(op.f('ix_products_supplier_id'), 'products', ['supplier_id'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('avatar_url', sa.String(length=500), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_users_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_users_phone'))
    )
    op.create_index(op.f('ix_users_supplier_id'), 'users', ['supplier_id'], unique=False)
    op.create_table('addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=128), nullable=False),
    sa.Column('detail', sa.String(length=255), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_addresses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses'))
    )
    op.create_index(op.f('ix_addresses_user_id'), 'addresses', ['user_id'], unique=False)
    op.create_table('auth_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_tokens_token_hash'))
    )
    op.create_index(op.f('ix_auth_tokens_user_id'), 'auth_tokens', ['user_id'], unique=False)
    op.create_table('campaign_quotas',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('used', sa.Integer(), nullable=False),
    sa.CheckConstraint('used >= 0', name=op.f('ck_campaign_quotas_used_nonnegative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_campaign_quotas_user_id_users')),
    sa.PrimaryKeyConstraint('kind', 'campaign_id', 'user_id', 'period', name=op.f('pk_campaign_quotas'))
    )
    op.create_table('commission_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('level1_bp', sa.Integer(), nullable=False),
    sa.Column('level2_bp', sa.Integer(), nullable=False),
    sa.CheckConstraint('(category IS NULL) <> (product_id IS NULL)', name=op.f('ck_commission_rates_one_scope')),
    sa.CheckConstraint('level2_bp <= level1_bp', name=op.f('ck_commission_rates_level2_le_level1')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_commission_rates_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_rates')),
    sa.UniqueConstraint('category', name=op.f('uq_commission_rates_category')),
    sa.UniqueConstraint('product_id', name=op.f('uq_commission_rates_product_id'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('fee_bp', sa.Integer(), nullable=False),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.Column('address', sa.JSON(), nullable=False),
    sa.Column('attribution', sa.JSON(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('campaign_ref', sa.String(length=40), nullable=True),
    sa.Column('deposit_fen', sa.Integer(), nullable=True),
    sa.Column('balance_from', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('balance_until', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('carrier', sa.String(length=40), nullable=True),
    sa.Column('tracking_no', sa.String(length=64), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('pay_deadline', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('paid_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('shipped_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('delivered_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('completed_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('settled_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('refunded_fen <= total_fen', name=op.f('ck_orders_refund_le_total')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_orders_buyer_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders'))
    )
    op.create_index(op.f('ix_orders_buyer_id'), 'orders', ['buyer_id'], unique=False)
    op.create_index(op.f('ix_orders_campaign_ref'), 'orders', ['campaign_ref'], unique=False)
    op.create_index(op.f('ix_orders_completed_at'), 'orders', ['completed_at'], unique=False)
    op.create_index(op.f('ix_orders_created_at'), 'orders', ['created_at'], unique=False)
    op.create_index(op.f('ix_orders_pay_deadline'), 'orders', ['pay_deadline'], unique=False)
    op.create_index(op.f('ix_orders_settled_at'), 'orders', ['settled_at'], unique=False)
    op.create_index(op.f('ix_orders_shipped_at'), 'orders', ['shipped_at'], unique=False)
    op.create_index(op.f('ix_orders_status'), 'orders', ['status'], unique=False)
    op.create_index(op.f('ix_orders_supplier_id'), 'orders', ['supplier_id'], unique=False)
    op.create_table('payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('account', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('decided_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_payouts_positive')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_payouts_decided_by_users')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_payouts_requested_by_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_payouts_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payouts'))
    )
    op.create_index(op.f('ix_payouts_account'), 'payouts', ['account'], unique=False)
    op.create_index(op.f('ix_payouts_created_at'), 'payouts', ['created_at'], unique=False)
    op.create_index(op.f('ix_payouts_kind'), 'payouts', ['kind'], unique=False)
    op.create_index(op.f('ix_payouts_requested_by'), 'payouts', ['requested_by'], unique=False)
    op.create_index(op.f('ix_payouts_status'), 'payouts', ['status'], unique=False)
    op.create_index(op.f('ix_payouts_supplier_id'), 'payouts', ['supplier_id'], unique=False)
    op.create_table('promoters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reject_reason', sa.String(length=255), nullable=True),
    sa.Column('invite_code', sa.String(length=16), nullable=False),
    sa.Column('inviter_id', sa.Integer(), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('decided_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inviter_id'], ['users.id'], name=op.f('fk_promoters_inviter_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_promoters_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promoters')),
    sa.UniqueConstraint('invite_code', name=op.f('uq_promoters_invite_code')),
    sa.UniqueConstraint('user_id', name=op.f('uq_promoters_user_id'))
    )
    op.create_index(op.f('ix_promoters_inviter_id'), 'promoters', ['inviter_id'], unique=False)
    op.create_index(op.f('ix_promoters_status'), 'promoters', ['status'], unique=False)
    op.create_table('shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('promoter_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('campaign_kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['promoter_id'], ['users.id'], name=op.f('fk_shares_promoter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shares')),
    sa.UniqueConstraint('code', name=op.f('uq_shares_code')),
    sa.UniqueConstraint('promoter_id', 'target_kind', 'campaign_kind', 'target_id', name='uq_shares_promoter_target')
    )
    op.create_table('shops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promoter_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('avatar_url', sa.String(length=500), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('share_code', sa.String(length=16), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['promoter_id'], ['users.id'], name=op.f('fk_shops_promoter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shops')),
    sa.UniqueConstraint('code', name=op.f('uq_shops_code')),
    sa.UniqueConstraint('promoter_id', name=op.f('uq_shops_promoter_id'))
    )
    op.create_table('skus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('spec', sa.String(length=60), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.CheckConstraint('price_fen >= 0', name=op.f('ck_skus_price_nonnegative')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_skus_stock_nonnegative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_skus_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skus'))
    )
    op.create_index(op.f('ix_skus_product_id'), 'skus', ['product_id'], unique=False)
    op.create_table('bargains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('start_price_fen', sa.Integer(), nullable=False),
    sa.Column('floor_price_fen', sa.Integer(), nullable=False),
    sa.Column('helps_min', sa.Integer(), nullable=False),
    sa.Column('helps_max', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('helps_per_user_per_day', sa.Integer(), nullable=False),
    sa.Column('allow_in_wechat', sa.Boolean(), nullable=False),
    sa.Column('starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('duration_s > 0', name=op.f('ck_bargains_duration_positive')),
    sa.CheckConstraint('floor_price_fen >= 0 AND floor_price_fen < start_price_fen', name=op.f('ck_bargains_price_order')),
    sa.CheckConstraint('helps_min >= 1 AND helps_min <= helps_max', name=op.f('ck_bargains_helps_range')),
    sa.CheckConstraint('helps_per_user_per_day >= 1', name=op.f('ck_bargains_daily_limit_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_bargains_created_by_users')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_bargains_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bargains'))
    )
    op.create_index(op.f('ix_bargains_sku_id'), 'bargains', ['sku_id'], unique=False)
    op.create_table('clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('share_id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('referrer', sa.String(length=500), nullable=True),
    sa.Column('ip_hash', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('is_preview', sa.Boolean(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['share_id'], ['shares.id'], name=op.f('fk_clicks_share_id_shares')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clicks'))
    )
    op.create_index(op.f('ix_clicks_created_at'), 'clicks', ['created_at'], unique=False)
    op.create_index(op.f('ix_clicks_share_id'), 'clicks', ['share_id'], unique=False)
    op.create_index(op.f('ix_clicks_visitor_id'), 'clicks', ['visitor_id'], unique=False)
    op.create_table('commissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('share_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('beneficiary_id', sa.Integer(), nullable=False),
    sa.Column('source_promoter_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('line_amount_fen', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_qty', sa.Integer(), nullable=False),
    sa.Column('reversed_fen', sa.Integer(), nullable=False),
    sa.Column('clawed_back_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('settled_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('level IN (1, 2)', name=op.f('ck_commissions_two_levels_at_most')),
    sa.CheckConstraint('refunded_qty >= 0', name=op.f('ck_commissions_refunded_nonnegative')),
    sa.CheckConstraint('reversed_fen + clawed_back_fen <= amount_fen', name=op.f('ck_commissions_net_nonnegative')),
    sa.ForeignKeyConstraint(['beneficiary_id'], ['users.id'], name=op.f('fk_commissions_beneficiary_id_users')),
    sa.ForeignKeyConstraint(['share_id'], ['shares.id'], name=op.f('fk_commissions_share_id_shares')),
    sa.ForeignKeyConstraint(['source_promoter_id'], ['users.id'], name=op.f('fk_commissions_source_promoter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissions')),
    sa.UniqueConstraint('order_line_id', 'level', name=op.f('uq_commissions_order_line_id_level'))
    )
    op.create_index(op.f('ix_commissions_beneficiary_id'), 'commissions', ['beneficiary_id'], unique=False)
    op.create_index(op.f('ix_commissions_order_id'), 'commissions', ['order_id'], unique=False)
    op.create_index(op.f('ix_commissions_share_id'), 'commissions', ['share_id'], unique=False)
    op.create_index(op.f('ix_commissions_source_promoter_id'), 'commissions', ['source_promoter_id'], unique=False)
    op.create_index(op.f('ix_commissions_status'), 'commissions', ['status'], unique=False)
    op.create_table('customer_bindings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('promoter_id', sa.Integer(), nullable=False),
    sa.Column('share_id', sa.Integer(), nullable=True),
    sa.Column('bound_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('user_id IS NOT NULL OR visitor_id IS NOT NULL', name=op.f('ck_customer_bindings_someone')),
    sa.ForeignKeyConstraint(['promoter_id'], ['users.id'], name=op.f('fk_customer_bindings_promoter_id_users')),
    sa.ForeignKeyConstraint(['share_id'], ['shares.id'], name=op.f('fk_customer_bindings_share_id_shares')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_bindings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_bindings'))
    )
    op.create_index(op.f('ix_customer_bindings_expires_at'), 'customer_bindings', ['expires_at'], unique=False)
    op.create_index(op.f('ix_customer_bindings_promoter_id'), 'customer_bindings', ['promoter_id'], unique=False)
    op.create_index(op.f('ix_customer_bindings_user_id'), 'customer_bindings', ['user_id'], unique=False)
    op.create_index(op.f('ix_customer_bindings_visitor_id'), 'customer_bindings', ['visitor_id'], unique=False)
    op.create_table('flash_sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('sold', sa.Integer(), nullable=False),
    sa.Column('per_user_limit', sa.Integer(), nullable=False),
    sa.Column('starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('per_user_limit >= 1', name=op.f('ck_flash_sales_limit_positive')),
    sa.CheckConstraint('price_fen >= 0', name=op.f('ck_flash_sales_price_nonnegative')),
    sa.CheckConstraint('sold >= 0 AND sold <= stock', name=op.f('ck_flash_sales_sold_range')),
    sa.CheckConstraint('stock > 0', name=op.f('ck_flash_sales_stock_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_flash_sales_created_by_users')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_flash_sales_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_sales'))
    )
    op.create_index(op.f('ix_flash_sales_ends_at'), 'flash_sales', ['ends_at'], unique=False)
    op.create_index(op.f('ix_flash_sales_sku_id'), 'flash_sales', ['sku_id'], unique=False)
    op.create_table('group_buys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('per_user_limit', sa.Integer(), nullable=False),
    sa.Column('max_groups', sa.Integer(), nullable=True),
    sa.Column('groups_opened', sa.Integer(), nullable=False),
    sa.Column('auto_complete', sa.Boolean(), nullable=False),
    sa.Column('starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('duration_s > 0', name=op.f('ck_group_buys_duration_positive')),
    sa.CheckConstraint('group_size >= 2 AND group_size <= 100', name=op.f('ck_group_buys_group_size_range')),
    sa.CheckConstraint('per_user_limit >= 1', name=op.f('ck_group_buys_limit_positive')),
    sa.CheckConstraint('price_fen >= 0', name=op.f('ck_group_buys_price_nonnegative')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_group_buys_created_by_users')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_group_buys_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_buys'))
    )
    op.create_index(op.f('ix_group_buys_sku_id'), 'group_buys', ['sku_id'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('spec', sa.String(length=60), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_quantity', sa.Integer(), nullable=False),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('refunded_quantity >= 0 AND refunded_quantity <= quantity', name=op.f('ck_order_lines_refunded_quantity_range')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_order_lines_product_id_products')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_order_lines_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    op.create_index(op.f('ix_order_lines_order_id'), 'order_lines', ['order_id'], unique=False)
    op.create_index(op.f('ix_order_lines_product_id'), 'order_lines', ['product_id'], unique=False)
    op.create_index(op.f('ix_order_lines_sku_id'), 'order_lines', ['sku_id'], unique=False)
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=64), nullable=True),
    sa.Column('pay_url', sa.String(length=255), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('succeeded_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payments_order_id_orders')),
    sa.ForeignKeyConstraint(['payer_id'], ['users.id'], name=op.f('fk_payments_payer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    op.create_index(op.f('ix_payments_order_id'), 'payments', ['order_id'], unique=False)
    op.create_index(op.f('ix_payments_payer_id'), 'payments', ['payer_id'], unique=False)
    op.create_index(op.f('ix_payments_status'), 'payments', ['status'], unique=False)
    op.create_table('presales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('deposit_fen', sa.Integer(), nullable=False),
    sa.Column('deposit_worth_fen', sa.Integer(), nullable=False),
    sa.Column('deposit_starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('deposit_ends_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('balance_starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('balance_ends_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('unpaid_balance_rule', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('deposit_fen > 0 AND deposit_fen <= deposit_worth_fen', name=op.f('ck_presales_deposit_range')),
    sa.CheckConstraint('deposit_worth_fen <= price_fen', name=op.f('ck_presales_worth_le_price')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_presales_created_by_users')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_presales_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presales'))
    )
    op.create_index(op.f('ix_presales_sku_id'), 'presales', ['sku_id'], unique=False)
    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('decision_note', sa.String(length=255), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('decided_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_refunds_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    op.create_index(op.f('ix_refunds_order_id'), 'refunds', ['order_id'], unique=False)
    op.create_index(op.f('ix_refunds_status'), 'refunds', ['status'], unique=False)
    op.create_table('shop_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_shop_items_product_id_products')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shop_items_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_items')),
    sa.UniqueConstraint('shop_id', 'product_id', name=op.f('uq_shop_items_shop_id_product_id'))
    )
    op.create_index(op.f('ix_shop_items_shop_id'), 'shop_items', ['shop_id'], unique=False)
    op.create_table('tiered_deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('tiers', sa.JSON(), nullable=False),
    sa.Column('starts_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('final_price_fen', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('closed_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_tiered_deals_created_by_users')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_tiered_deals_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tiered_deals'))
    )
    op.create_index(op.f('ix_tiered_deals_ends_at'), 'tiered_deals', ['ends_at'], unique=False)
    op.create_index(op.f('ix_tiered_deals_sku_id'), 'tiered_deals', ['sku_id'], unique=False)
    op.create_table('bargain_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bargain_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('cuts_fen', sa.JSON(), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=False),
    sa.Column('helps_total', sa.Integer(), nullable=False),
    sa.Column('helps_done', sa.Integer(), nullable=False),
    sa.Column('start_price_fen', sa.Integer(), nullable=False),
    sa.Column('current_price_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('current_price_fen >= 0', name=op.f('ck_bargain_runs_price_nonnegative')),
    sa.CheckConstraint('helps_done >= 0 AND helps_done <= helps_total', name=op.f('ck_bargain_runs_helps_range')),
    sa.ForeignKeyConstraint(['bargain_id'], ['bargains.id'], name=op.f('fk_bargain_runs_bargain_id_bargains')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_bargain_runs_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bargain_runs'))
    )
    op.create_index(op.f('ix_bargain_runs_bargain_id'), 'bargain_runs', ['bargain_id'], unique=False)
    op.create_index(op.f('ix_bargain_runs_owner_id'), 'bargain_runs', ['owner_id'], unique=False)
    op.create_index('ix_bargain_runs_status_expires', 'bargain_runs', ['status', 'expires_at'], unique=False)
    op.create_table('flash_reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_flash_reservations_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_flash_reservations_order_id_orders')),
    sa.ForeignKeyConstraint(['sale_id'], ['flash_sales.id'], name=op.f('fk_flash_reservations_sale_id_flash_sales')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flash_reservations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_reservations'))
    )
    op.create_index(op.f('ix_flash_reservations_order_id'), 'flash_reservations', ['order_id'], unique=False)
    op.create_index(op.f('ix_flash_reservations_sale_id'), 'flash_reservations', ['sale_id'], unique=False)
    op.create_index('ix_flash_reservations_status_expires', 'flash_reservations', ['status', 'expires_at'], unique=False)
    op.create_index(op.f('ix_flash_reservations_user_id'), 'flash_reservations', ['user_id'], unique=False)
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_buy_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('paid_count', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.Column('closed_at', quanzi.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint('member_count >= 0 AND member_count <= group_size', name=op.f('ck_groups_member_count_range')),
    sa.CheckConstraint('paid_count >= 0 AND paid_count <= member_count', name=op.f('ck_groups_paid_range')),
    sa.ForeignKeyConstraint(['group_buy_id'], ['group_buys.id'], name=op.f('fk_groups_group_buy_id_group_buys')),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_groups_leader_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups'))
    )
    op.create_index(op.f('ix_groups_group_buy_id'), 'groups', ['group_buy_id'], unique=False)
    op.create_index(op.f('ix_groups_leader_id'), 'groups', ['leader_id'], unique=False)
    op.create_index('ix_groups_status_expires', 'groups', ['status', 'expires_at'], unique=False)
    op.create_table('payment_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=64), nullable=True),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_refunds_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_refunds'))
    )
    op.create_index(op.f('ix_payment_refunds_payment_id'), 'payment_refunds', ['payment_id'], unique=False)
    op.create_table('tiered_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('paid_price_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_tiered_participants_quantity_positive')),
    sa.ForeignKeyConstraint(['deal_id'], ['tiered_deals.id'], name=op.f('fk_tiered_participants_deal_id_tiered_deals')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_tiered_participants_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tiered_participants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tiered_participants'))
    )
    op.create_index(op.f('ix_tiered_participants_deal_id'), 'tiered_participants', ['deal_id'], unique=False)
    op.create_index(op.f('ix_tiered_participants_order_id'), 'tiered_participants', ['order_id'], unique=False)
    op.create_index(op.f('ix_tiered_participants_user_id'), 'tiered_participants', ['user_id'], unique=False)
    op.create_table('bargain_helps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('cut_fen', sa.Integer(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['helper_id'], ['users.id'], name=op.f('fk_bargain_helps_helper_id_users')),
    sa.ForeignKeyConstraint(['run_id'], ['bargain_runs.id'], name=op.f('fk_bargain_helps_run_id_bargain_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bargain_helps')),
    sa.UniqueConstraint('run_id', 'helper_id', name=op.f('uq_bargain_helps_run_id_helper_id')),
    sa.UniqueConstraint('run_id', 'seq', name=op.f('uq_bargain_helps_run_id_seq'))
    )
    op.create_index(op.f('ix_bargain_helps_created_at'), 'bargain_helps', ['created_at'], unique=False)
    op.create_index(op.f('ix_bargain_helps_helper_id'), 'bargain_helps', ['helper_id'], unique=False)
    op.create_index(op.f('ix_bargain_helps_run_id'), 'bargain_helps', ['run_id'], unique=False)
    op.create_table('group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('created_at', quanzi.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_group_members_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_group_members_group_id_user_id'))
    )
    op.create_index(op.f('ix_group_members_group_id'), 'group_members', ['group_id'], unique=False)
    op.create_index(op.f('ix_group_members_order_id'), 'group_members', ['order_id'], unique=False)
    op.create_index(op.f('ix_group_members_user_id'), 'group_members', ['user_id'], unique=False)

def downgrade() -> None:
    op.drop_index(op.f('ix_group_members_user_id'), table_name='group_members')
    op.drop_index(op.f('ix_group_members_order_id'), table_name='group_members')
    op.drop_index(op.f('ix_group_members_group_id'), table_name='group_members')
    op.drop_table('group_members')
    op.drop_index(op.f('ix_bargain_helps_run_id'), table_name='bargain_helps')
    op.drop_index(op.f('ix_bargain_helps_helper_id'), table_name='bargain_helps')
    op.drop_index(op.f('ix_bargain_helps_created_at'), table_name='bargain_helps')
    op.drop_table('bargain_helps')
    op.drop_index(op.f('ix_tiered_participants_user_id'), table_name='tiered_participants')
    op.drop_index(op.f('ix_tiered_participants_order_id'), table_name='tiered_participants')
    op.drop_index(op.f('ix_tiered_participants_deal_id'), table_name='tiered_participants')
    op.drop_table('tiered_participants')
    op.drop_index(op.f('ix_payment_refunds_payment_id'), table_name='payment_refunds')
    op.drop_table('payment_refunds')
    op.drop_index('ix_groups_status_expires', table_name='groups')
    op.drop_index(op.f('ix_groups_leader_id'), table_name='groups')
    op.drop_index(op.f('ix_groups_group_buy_id'), table_name='groups')
    op.drop_table('groups')
    op.drop_index(op.f('ix_flash_reservations_user_id'), table_name='flash_reservations')
    op.drop_index('ix_flash_reservations_status_expires', table_name='flash_reservations')
    op.drop_index(op.f('ix_flash_reservations_sale_id'), table_name='flash_reservations')
    op.drop_index(op.f('ix_flash_reservations_order_id'), table_name='flash_reservations')
    op.drop_table('flash_reservations')
    op.drop_index('ix_bargain_runs_status_expires', table_name='bargain_runs')
    op.drop_index(op.f('ix_bargain_runs_owner_id'), table_name='bargain_runs')
    op.drop_index(op.f('ix_bargain_runs_bargain_id'), table_name='bargain_runs')
    op.drop_table('bargain_runs')
    op.drop_index(op.f('ix_tiered_deals_sku_id'), table_name='tiered_deals')
    op.drop_index(op.f('ix_tiered_deals_ends_at'), table_name='tiered_deals')
    op.drop_table('tiered_deals')
    op.drop_index(op.f('ix_shop_items_shop_id'), table_name='shop_items')
    op.drop_table('shop_items')
    op.drop_index(op.f('ix_refunds_status'), table_name='refunds')
    op.drop_index(op.f('ix_refunds_order_id'), table_name='refunds')
    op.drop_table('refunds')
    op.drop_index(op.f('ix_presales_sku_id'), table_name='presales')
    op.drop_table('presales')
    op.drop_index(op.f('ix_payments_status'), table_name='payments')
    op.drop_index(op.f('ix_payments_payer_id'), table_name='payments')
    op.drop_index(op.f('ix_payments_order_id'), table_name='payments')
    op.drop_table('payments')
    op.drop_index(op.f('ix_order_lines_sku_id'), table_name='order_lines')
    op.drop_index(op.f('ix_order_lines_product_id'), table_name='order_lines')
    op.drop_index(op.f('ix_order_lines_order_id'), table_name='order_lines')
    op.drop_table('order_lines')
    op.drop_index(op.f('ix_group_buys_sku_id'), table_name='group_buys')
    op.drop_table('group_buys')
    op.drop_index(op.f('ix_flash_sales_sku_id'), table_name='flash_sales')
    op.drop_index(op.f('ix_flash_sales_ends_at'), table_name='flash_sales')
    op.drop_table('flash_sales')
    op.drop_index(op.f('ix_customer_bindings_visitor_id'), table_name='customer_bindings')
    op.drop_index(op.f('ix_customer_bindings_user_id'), table_name='customer_bindings')
    op.drop_index(op.f('ix_customer_bindings_promoter_id'), table_name='customer_bindings')
    op.drop_index(op.f('ix_customer_bindings_expires_at'), table_name='customer_bindings')
    op.drop_table('customer_bindings')
    op.drop_index(op.f('ix_commissions_status'), table_name='commissions')
    op.drop_index(op.f('ix_commissions_source_promoter_id'), table_name='commissions')
    op.drop_index(op.f('ix_commissions_share_id'), table_name='commissions')
    op.drop_index(op.f('ix_commissions_order_id'), table_name='commissions')
    op.drop_index(op.f('ix_commissions_beneficiary_id'), table_name='commissions')
    op.drop_table('commissions')
    op.drop_index(op.f('ix_clicks_visitor_id'), table_name='clicks')
    op.drop_index(op.f('ix_clicks_share_id'), table_name='clicks')
    op.drop_index(op.f('ix_clicks_created_at'), table_name='clicks')
    op.drop_table('clicks')
    op.drop_index(op.f('ix_bargains_sku_id'), table_name='bargains')
    op.drop_table('bargains')
    op.drop_index(op.f('ix_skus_product_id'), table_name='skus')
    op.drop_table('skus')
    op.drop_table('shops')
    op.drop_table('shares')
    op.drop_index(op.f('ix_promoters_status'), table_name='promoters')
    op.drop_index(op.f('ix_promoters_inviter_id'), table_name='promoters')
    op.drop_table('promoters')
    op.drop_index(op.f('ix_payouts_supplier_id'), table_name='payouts')
    op.drop_index(op.f('ix_payouts_status'), table_name='payouts')
    op.drop_index(op.f('ix_payouts_requested_by'), table_name='payouts')
    op.drop_index(op.f('ix_payouts_kind'), table_name='payouts')
    op.drop_index(op.f('ix_payouts_created_at'), table_name='payouts')
    op.drop_index(op.f('ix_payouts_account'), table_name='payouts')
    op.drop_table('payouts')
    op.drop_index(op.f('ix_orders_supplier_id'), table_name='orders')
    op.drop_index(op.f('ix_orders_status'), table_name='orders')
    op.drop_index(op.f('ix_orders_shipped_at'), table_name='orders')
    op.drop_index(op.f('ix_orders_settled_at'), table_name='orders')
    op.drop_index(op.f('ix_orders_pay_deadline'), table_name='orders')
    op.drop_index(op.f('ix_orders_created_at'), table_name='orders')
    op.drop_index(op.f('ix_orders_completed_at'), table_name='orders')
    op.drop_index(op.f('ix_orders_campaign_ref'), table_name='orders')
    op.drop_index(op.f('ix_orders_buyer_id'), table_name='orders')
    op.drop_table('orders')
    op.drop_table('commission_rates')
    op.drop_table('campaign_quotas')
    op.drop_index(op.f('ix_auth_tokens_user_id'), table_name='auth_tokens')
    op.drop_table('auth_tokens')
    op.drop_index(op.f('ix_addresses_user_id'), table_name='addresses')
    op.drop_table('addresses')
    op.drop_index(op.f('ix_users_supplier_id'), table_name='users')
    op.drop_table('users')
    op.drop_index(op.f('ix_products_supplier_id'), table_name='products')
    op.drop_index(op.f('ix_products_on_shelf'), table_name='products')
    op.drop_index(op.f('ix_products_category'), table_name='products')
    op.drop_table('products')
    op.drop_index(op.f('ix_postings_entry_id'), table_name='postings')
    op.drop_index(op.f('ix_postings_account_id'), table_name='postings')
    op.drop_table('postings')
    op.drop_index(op.f('ix_outbox_failures_event_id'), table_name='outbox_failures')
    op.drop_table('outbox_failures')
    op.drop_table('suppliers')
    op.drop_table('referral_config')
    op.drop_index(op.f('ix_payment_callbacks_payment_id'), table_name='payment_callbacks')
    op.drop_table('payment_callbacks')
    op.drop_index(op.f('ix_outbox_events_processed_at'), table_name='outbox_events')
    op.drop_index(op.f('ix_outbox_events_name'), table_name='outbox_events')
    op.drop_table('outbox_events')
    op.drop_table('ledger_accounts')
    op.drop_index(op.f('ix_journal_entries_ref'), table_name='journal_entries')
    op.drop_index(op.f('ix_journal_entries_kind'), table_name='journal_entries')
    op.drop_index(op.f('ix_journal_entries_created_at'), table_name='journal_entries')
    op.drop_table('journal_entries')
    op.drop_table('idempotency_keys')
