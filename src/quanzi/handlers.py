"""Cross-domain event handlers: which service reacts to which event.

:func:`register` plugs them in; ``quanzi.wiring.wire`` calls it for every entry point.
Commissions are not here: they move with the money, synchronously, inside the
transactions of payment, refund and settlement (``orders.ports``, plugged in by
``quanzi.wiring``).
"""

from sqlalchemy.orm import Session

from quanzi.campaigns import reactions
from quanzi.catalog import stock
from quanzi.community import reactions as community_reactions
from quanzi.core import events
from quanzi.orders.events import OrderPaid


def count_sales(session: Session, paid: OrderPaid) -> None:
    """``order.paid`` → the products' sold counters (shown on product pages)."""
    stock.count_sold(session, [(line.product_id, line.quantity) for line in paid.lines])


def register() -> None:
    """Subscribe every handler to its event (idempotent: a handler is added once)."""
    events.subscribe(OrderPaid, count_sales)
    reactions.subscribe()
    community_reactions.subscribe()
