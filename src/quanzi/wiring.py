"""The composition root: what every entry point plugs in before it does anything.

The app (``create_app``), the ``quanzi`` command and the worker all call :func:`wire`, so
each of them sees every table, every port's adapter, every event handler and every
after-commit and database-switch hook, whatever it happened to import first. Importing
this module imports ``quanzi.tables`` (every model, so ``Base.metadata`` can resolve
every foreign key: ``users.supplier_id`` → ``suppliers``) and plugs nothing; :func:`wire`
then plugs in, one plain call each:

- ``payments.ports``: the orders domain hears of payments (``orders.paying.OrderPayments``);
- ``orders.ports``: referral attributes orders and moves their commissions
  (``referral.order_hooks.ReferralCommissions``), wrapped by community's, which adds the
  leader's on batch orders (``community.order_hooks.LeaderCommissions``);
- after each commit: released flash units go back to Redis (``campaigns.flash.stock``),
  the outbox is dispatched inline when configured (``core.events``), sign-outs are
  announced (``accounts.sign_outs``);
- the in-process caches that forget on a sign-out, a rule change or a switch to another
  database: sale terms (``campaigns.flash.sales``), share targets and the attribution
  window (``referral.redirect``), sign-ins (``accounts.sign_ins``);
- the cross-domain event handlers (``handlers.register``).

Nothing below this module imports it; calling :func:`wire` twice changes nothing (every
hook list keeps a hook once).
"""

from quanzi import handlers, tables
from quanzi.accounts import sign_ins, sign_outs
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.community.order_hooks import LeaderCommissions
from quanzi.core import events
from quanzi.orders import ports as order_ports
from quanzi.orders.paying import OrderPayments
from quanzi.payments import ports as payment_ports
from quanzi.referral import redirect
from quanzi.referral.order_hooks import ReferralCommissions

__all__ = ["tables", "wire"]


def wire() -> None:
    """Load every table, plug every port's adapter, hook and event handler in (idempotent)."""
    payment_ports.use(OrderPayments())
    order_ports.use(LeaderCommissions(ReferralCommissions()))
    flash_stock.plug()  # after-commit hooks, in this order
    events.plug()
    sign_outs.plug()
    flash_sales.plug()  # caches
    redirect.plug()
    sign_ins.plug()
    handlers.register()
