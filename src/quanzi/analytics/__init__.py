"""Analytics: read models built from every other domain's tables, written to by nothing.

The top domain layer: it reads the orders', payments', referral's and accounts' tables
(through their models) and is imported only by the delivery layers, the worker and the
command line. Today it owns the operator dashboard's figures:

- ``days``: Shanghai days (UTC+8, no daylight saving) as pure functions;
- ``sql``: the same day in SQL, once per dialect;
- ``metrics``: one aggregate query per daily metric, and :data:`METRICS` naming them;
- ``models``: ``daily_metrics`` (day, metric) → value, the rollup's table;
- ``rollup``: the worker's sweep that recomputes the days that may have changed;
- ``queries``: the dashboard's read model over ``daily_metrics``.
"""
