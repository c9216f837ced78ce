"""What every entry point loads before it does anything: the app (``create_app``), the
``quanzi`` command and the worker all call :func:`wire`, so each of them sees every table
and every event handler, whatever it happened to import first.

Importing this module imports ``quanzi.tables`` (every model, so ``Base.metadata`` can
resolve every foreign key: ``users.supplier_id`` → ``suppliers``); :func:`wire` then
subscribes the cross-domain event handlers. Calling it twice changes nothing.
"""

from quanzi import handlers, tables

__all__ = ["tables", "wire"]


def wire() -> None:
    """Load every table and plug in every event handler (idempotent)."""
    handlers.register()
