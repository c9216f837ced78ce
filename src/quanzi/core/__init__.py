"""Shared infrastructure: configuration, database, clock, money, errors, security, events,
the scheduler (its loop and its lease).

`core` imports no domain package.
"""
