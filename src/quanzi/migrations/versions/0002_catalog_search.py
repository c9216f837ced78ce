"""Catalog search: an FTS5 table on SQLite, a GIN full-text index on PostgreSQL.

Revision ID: 0002
Revises: 0001

``products.search_tokens`` holds jieba-segmented words (see quanzi.catalog.search).
On SQLite the services keep ``product_search`` (rowid = product id) in step; existing
rows are copied in here with an empty title column. PostgreSQL indexes the column
itself, so it needs no syncing.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE product_search USING fts5("
                   "title, body, tokenize = 'unicode61 remove_diacritics 2')")
        op.execute("INSERT INTO product_search (rowid, title, body) "
                   "SELECT id, '', search_tokens FROM products")
    elif dialect == "postgresql":
        op.execute("CREATE INDEX ix_products_search_tokens ON products "
                   "USING gin (to_tsvector('simple', search_tokens))")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE product_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_products_search_tokens")
