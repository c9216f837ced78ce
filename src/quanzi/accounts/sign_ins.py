"""Sign-ins remembered for a short while: every API request's bearer token, and the bare
hot routes (the flash-sale buy).

A flash sale's first second brings thousands of buyers the process has not seen yet.
Looking each one up on a thread of its own would queue them behind each other; here
one lookup runs at a time, and the tokens that arrive meanwhile go to the database
together as the next ONE statement on one thread (``accounts.services.signed_in_until``,
through ``core.coalesce``). The answers are kept for ``SIGN_IN_TTL`` seconds (never past
the token's own expiry, read on ``core.clock``), and dropped at once when the token is
signed out or its user changes (``accounts.sign_outs``: directly in this process, through
Redis from the others; ``QUANZI_SIGN_IN_CACHE=off`` keeps nothing). A lookup that was under way
while something was dropped is answered but not remembered, so it cannot bring a
revoked token back.

:func:`plug` (called by ``quanzi.wiring.wire``) makes the cache hear of sign-outs and
of a switch to another database; nothing is plugged at import time.
"""

import time
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime

import anyio

from quanzi.accounts import sign_outs
from quanzi.accounts.identity import Identity
from quanzi.accounts.services import signed_in_until
from quanzi.core import broadcast, clock, coalesce
from quanzi.core.coalesce import Coalescer
from quanzi.core.config import get_settings
from quanzi.core.db import on_database_switch
from quanzi.core.security import token_digest

SIGN_IN_TTL = 30.0  # seconds
MAX_CACHED = 10_000
MAX_BATCH = 500  # tokens per statement

# token digest → (when looked up, when the token expires, the user); keyed by digest, as
# sign-outs name tokens so
_known: "OrderedDict[str, tuple[float, datetime, Identity]]" = OrderedDict()
_drops = 0  # how many times entries were dropped: a lookup spanning a drop is not kept


def cached(token: str) -> Identity | None:
    """The user of ``token`` if it was looked up less than ``SIGN_IN_TTL`` ago."""
    if not get_settings().sign_in_cache:
        return None
    hit = _known.get(token_digest(token))
    if (hit is not None and time.monotonic() - hit[0] < SIGN_IN_TTL
            and clock.now() < hit[1]):
        return hit[2]
    return None


def _remember(found: dict[str, tuple[Identity, datetime]], drops_before: int) -> None:
    if drops_before != _drops or not get_settings().sign_in_cache:
        return
    now = time.monotonic()
    for token, (user, expires_at) in found.items():
        digest = token_digest(token)
        _known[digest] = (now, expires_at, user)
        _known.move_to_end(digest)
    while len(_known) > MAX_CACHED:
        _known.popitem(last=False)


def lookup(tokens: list[str]) -> dict[str, Identity]:
    """token → user for the live tokens among ``tokens`` (one statement; remembered)."""
    drops_before = _drops
    found = signed_in_until(tokens)
    _remember(found, drops_before)
    return {token: user for token, (user, _) in found.items()}


def drop(ended: sign_outs.Ended) -> None:
    """Forget the ended tokens and every token of the changed users."""
    global _drops
    _drops += 1
    for digest in ended.token_digests:
        _known.pop(digest, None)
    if ended.user_ids:
        for digest in [d for d, (*_, user) in list(_known.items()) if user.id in ended.user_ids]:
            _known.pop(digest, None)


def identity(token: str) -> Identity | None:
    """The user of ``token`` from the cache, else the database (blocking)."""
    return cached(token) or lookup([token]).get(token)


async def _send(_: Hashable, tokens: list[str]) -> list[Identity | None]:
    found = await anyio.to_thread.run_sync(lookup, list(dict.fromkeys(tokens)))  # each token once
    return [found.get(token) for token in tokens]


def _lookups() -> Coalescer[str, Identity | None]:
    return Coalescer(_send, max_batch=MAX_BATCH)


async def identity_async(token: str) -> Identity | None:
    """The user of ``token``: from the cache, else looked up together with the others
    that arrive while a lookup is running."""
    hit = cached(token)
    if hit is not None:
        return hit
    return await coalesce.of_loop("sign-ins", _lookups).ask("", token)


def forget() -> None:
    global _drops
    _drops += 1
    _known.clear()


def plug() -> None:
    """Forget sign-ins on a sign-out, on a switch to another database and when news from
    other processes may have been missed (``core.broadcast``; idempotent)."""
    on_database_switch(forget)
    sign_outs.listen(drop)
    broadcast.on_gap(forget)
