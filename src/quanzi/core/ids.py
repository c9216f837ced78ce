"""Bounds of the integers the database holds, checked where a number comes in.

Ids are INTEGER columns (32-bit) on every backend: a larger id names nothing, and on
PostgreSQL or SQLite a query with one fails instead of finding no row.
"""

MAX_ID = 2**31 - 1
MAX_BIGINT = 2**63 - 1


def is_id(value: object) -> bool:
    """Whether ``value`` is an int that can be a row's id (1..MAX_ID)."""
    return type(value) is int and 1 <= value <= MAX_ID
