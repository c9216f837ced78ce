"""Sign-ins remembered for a short while, for the hot routes (the flash-sale buy).

A flash sale's first second brings thousands of buyers the process has not seen yet.
Looking each one up on a thread of its own would queue them behind each other; here
one lookup runs at a time, and the tokens that arrive meanwhile go to the database
together as the next ONE statement on one thread (``accounts.services.signed_in_users``,
through ``core.coalesce``). The answers are kept for ``SIGN_IN_TTL`` seconds (a revoked
token stops working within that time).
"""

import time
from collections import OrderedDict
from collections.abc import Hashable

from starlette.concurrency import run_in_threadpool

from quanzi.accounts.services import signed_in_users
from quanzi.api.deps import Principal
from quanzi.core import coalesce
from quanzi.core.coalesce import Coalescer
from quanzi.core.db import on_database_switch

SIGN_IN_TTL = 30.0  # seconds
MAX_CACHED = 10_000
MAX_BATCH = 500  # tokens per statement

_known: "OrderedDict[str, tuple[float, Principal]]" = OrderedDict()


def cached(token: str) -> Principal | None:
    """The user of ``token`` if it was looked up less than ``SIGN_IN_TTL`` ago."""
    hit = _known.get(token)
    if hit is not None and time.monotonic() - hit[0] < SIGN_IN_TTL:
        return hit[1]
    return None


def _remember(found: dict[str, Principal]) -> None:
    now = time.monotonic()
    for token, principal in found.items():
        _known[token] = (now, principal)
        _known.move_to_end(token)
    while len(_known) > MAX_CACHED:
        _known.popitem(last=False)


def lookup(tokens: list[str]) -> dict[str, Principal]:
    """token → user for the live tokens among ``tokens`` (one statement; remembered)."""
    found = {token: Principal(id=row[0], name=row[1], roles=tuple(row[2]), supplier_id=row[3])
             for token, row in signed_in_users(tokens).items()}
    _remember(found)
    return found


def principal(token: str) -> Principal | None:
    """The user of ``token`` from the cache, else the database (blocking)."""
    return cached(token) or lookup([token]).get(token)


async def _send(_: Hashable, tokens: list[str]) -> list[Principal | None]:
    found = await run_in_threadpool(lookup, list(dict.fromkeys(tokens)))  # each token once
    return [found.get(token) for token in tokens]


def _lookups() -> Coalescer[str, Principal | None]:
    return Coalescer(_send, max_batch=MAX_BATCH)


async def principal_async(token: str) -> Principal | None:
    """The user of ``token``: from the cache, else looked up together with the others
    that arrive while a lookup is running."""
    hit = cached(token)
    if hit is not None:
        return hit
    return await coalesce.of_loop("sign-ins", _lookups).ask("", token)


def forget() -> None:
    _known.clear()


on_database_switch(forget)
