"""The composition root: what every entry point plugs in before it does anything.

The app (``create_app``), the ``quanzi`` command and the worker all call :func:`wire`, so
each of them sees every table, every port's adapter and every event handler, whatever it
happened to import first. Importing this module imports ``quanzi.tables`` (every model,
so ``Base.metadata`` can resolve every foreign key: ``users.supplier_id`` → ``suppliers``);
:func:`wire` then plugs in, one plain call each:

- ``payments.ports``: the orders domain hears of payments (``orders.paying.OrderPayments``);
- ``orders.ports``: referral attributes orders and moves their commissions
  (``referral.order_hooks.ReferralCommissions``);
- the cross-domain event handlers (``handlers.register``).

Nothing below this module imports it; calling :func:`wire` twice changes nothing.
"""

from quanzi import handlers, tables
from quanzi.orders import ports as order_ports
from quanzi.orders.paying import OrderPayments
from quanzi.payments import ports as payment_ports
from quanzi.referral.order_hooks import ReferralCommissions

__all__ = ["tables", "wire"]


def wire() -> None:
    """Load every table, plug every port's adapter in and every event handler (idempotent)."""
    payment_ports.use(OrderPayments())
    order_ports.use(ReferralCommissions())
    handlers.register()
