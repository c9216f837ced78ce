"""What payments needs from the domain whose bills it collects: the payment listener.

Payments knows the id of what a payment pays (``Payment.order_id``), never the order
itself. When a provider's callback says a payment succeeded, ``callbacks`` first asks
the listener to ``lock`` the order (every writer of an order and its payments takes the
order's row lock first, so the callback does too), and, once the money is in escrow,
tells it the order is ``paid``. A listener that answers False cannot take the money: the
payment is refunded in full, in the same transaction.

The orders domain implements the listener (``orders.paying.OrderPayments``) and
``quanzi.wiring.wire`` plugs it in with :func:`use`; nothing is plugged at import time.
Until then :func:`listener` refuses, rather than refund every payment by default::

    >>> use(RecordingListener())
    >>> listener().paid(session, order_id=7, payment_id=3, purpose="order")
    True
"""

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

__all__ = ["NotWired", "PaymentListener", "RecordingListener", "listener", "use"]


class PaymentListener(Protocol):
    """The domain a payment pays for; both calls flush only, in the callback's transaction."""

    def lock(self, session: Session, order_id: int) -> None:
        """Lock the order's row until the transaction ends (a missing order is no error)."""
        ...

    def paid(self, session: Session, *, order_id: int, payment_id: int, purpose: str) -> bool:
        """The payment of ``purpose`` arrived; False means the order cannot take it."""
        ...


class NotWired(RuntimeError):
    """A payment callback ran before ``quanzi.wiring.wire`` plugged in a listener."""


@dataclass
class RecordingListener:
    """A fake for tests: records the calls and answers ``accept`` to every payment."""

    accept: bool = True
    locked: list[int] = field(default_factory=list)
    payments: list[tuple[int, int, str]] = field(default_factory=list)

    def lock(self, session: Session, order_id: int) -> None:
        self.locked.append(order_id)

    def paid(self, session: Session, *, order_id: int, payment_id: int, purpose: str) -> bool:
        self.payments.append((order_id, payment_id, purpose))
        return self.accept


_listener: PaymentListener | None = None


def use(new: PaymentListener) -> None:
    """Make ``new`` the listener of every later callback (replaces the one before)."""
    global _listener
    _listener = new


def listener() -> PaymentListener:
    """The listener plugged in by :func:`use`; :class:`NotWired` if there is none."""
    if _listener is None:
        raise NotWired("no payment listener: call quanzi.wiring.wire() first")
    return _listener
