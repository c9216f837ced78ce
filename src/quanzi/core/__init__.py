"""Shared infrastructure: configuration, database, clock, money, errors, security, events, jobs.

`core` imports no domain package.
"""
