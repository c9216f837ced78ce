"""The flash-sale buy as one use case for the event loop: :func:`buy`.

The bare route ``POST /api/v1/flash-sales/{id}/buy`` (``api/flash_route.py``) parses the
request and calls :func:`buy` with a :class:`~quanzi.campaigns.buying.FlashBuy`; this
module decides how the buy runs without blocking the loop:

- with Redis (``flash_batch.batched_counter``), the sale's terms come from a short-lived
  cache (read once for every buyer waiting on them), the units from the batched
  counter; a refusal that is not a retry is answered on the loop, without the database;
- a buy that got its units (or may be a retry of one that did) goes to a thread for the
  database (``buying.create_flash_order`` / ``buying.refused``), at most ``DB_THREADS``
  at once;
- without Redis the whole buy runs on such a thread (``buying.buy_flash``).

The answer is the order (``OrderOut``), or :class:`Refused` when the sale or
its counter refused on the loop (409 ``not_started``, ``ended``, ``sold_out`` or
``limit_reached``: the common answer during a sale, so it is a value, not an exception).
Refusals decided on a thread raise the same 409 (``common.refuse``); an unknown sale
raises 404, a key reused with another body 422. Nothing is written for a refusal.
Example::

    answer = await flash.buy.buy(FlashBuy(sale_id, user.id, 1, address, None, key))
    if isinstance(answer, Refused):
        raise answer.error()
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import ParamSpec, TypeVar

import anyio

from quanzi.campaigns import buying
from quanzi.campaigns.buying import FlashBuy
from quanzi.campaigns.common import refuse
from quanzi.campaigns.flash import batch as flash_batch
from quanzi.campaigns.flash import sales as flash_sales
from quanzi.campaigns.flash import stock as flash_stock
from quanzi.campaigns.flash.stock import Outcome
from quanzi.core import clock, coalesce
from quanzi.core.coalesce import Coalescer
from quanzi.core.errors import Conflict
from quanzi.orders.schemas import OrderOut

__all__ = ["DB_THREADS", "FlashBuy", "Refused", "buy", "on_db_thread"]

# Orders are mostly Python (the ORM) and so share one interpreter lock: on two cores,
# four threads wrote a sale's first 100 orders faster than eight or sixteen did.
DB_THREADS = 4
P = ParamSpec("P")
T = TypeVar("T")

_limiter: anyio.CapacityLimiter | None = None


@dataclass(frozen=True)
class Refused:
    """A buy refused on the event loop, without the database: the 409 refusal ``code``."""

    code: str

    def error(self) -> Conflict:
        """The domain's error for this refusal (what a refusal on a thread raises)."""
        return refuse(self.code)


async def on_db_thread(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func`` on a worker thread, at most ``DB_THREADS`` at once: a burst of buyers queues
    here instead of crowding the connection pool and the GIL."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(DB_THREADS)
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs), limiter=_limiter)


async def _read_terms(sale_id: Hashable, asks: list[None]) -> list[flash_sales.SaleTerms]:
    assert isinstance(sale_id, int)
    terms = await on_db_thread(flash_sales.sale_terms, sale_id)
    return [terms] * len(asks)


def _terms_lookups() -> Coalescer[None, flash_sales.SaleTerms]:
    """A sale's terms read once for all the buyers waiting for them (a sale's first second)."""
    return Coalescer(_read_terms, max_batch=100_000)


async def buy(request: FlashBuy) -> OrderOut | Refused:
    """Buy ``request.quantity`` units of the sale for ``request.user_id``: the order
    (a retry with the same key gets the first order back); see the module docstring for
    the refusals raised."""
    fast = flash_batch.batched_counter()
    if fast is None:
        return await on_db_thread(
            buying.buy_flash, sale_id=request.sale_id, user_id=request.user_id,
            quantity=request.quantity, address=request.address,
            share_code=request.share_code, idempotency_key=request.key,
            visitor_id=request.visitor_id)
    terms = flash_sales.cached_terms(request.sale_id) or await coalesce.of_loop(
        "flash-terms", _terms_lookups).ask(request.sale_id, None)
    refusal = terms.refusal(clock.now())
    if refusal:
        return Refused(refusal)
    answer = await fast.reserve(request.sale_id, request.user_id, request.quantity,
                                terms.per_user_limit, request.key)
    if answer is None:  # the sale's keys are not in Redis yet: load them on a thread
        outcome = await on_db_thread(flash_stock.reserve, request.sale_id, request.user_id,
                                     request.quantity, terms.per_user_limit)
        seen = None
    else:
        outcome, seen = answer
    if outcome is not Outcome.OK:
        if seen is False:
            return Refused(outcome.value)
        return await on_db_thread(
            buying.refused, request, outcome, may_have_bought=seen)
    return await on_db_thread(
        buying.create_flash_order, request, terms, seen=seen)
