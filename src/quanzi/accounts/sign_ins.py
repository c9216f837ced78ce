"""Sign-ins remembered for a short while, for the hot routes (the flash-sale buy).

A flash sale's first second brings thousands of buyers the process has not seen yet.
Looking each one up on a thread of its own would queue them behind each other; here
one lookup runs at a time, and the tokens that arrive meanwhile go to the database
together as the next ONE statement on one thread (``accounts.services.signed_in_users``,
through ``core.coalesce``). The answers are kept for ``SIGN_IN_TTL`` seconds, and
dropped at once when the token is signed out or its user changes (``accounts.sign_outs``:
directly in this process, through Redis from the others). A lookup that was under way
while something was dropped is answered but not remembered, so it cannot bring a
revoked token back.
"""

import time
from collections import OrderedDict
from collections.abc import Hashable

from starlette.concurrency import run_in_threadpool

from quanzi.accounts import sign_outs
from quanzi.accounts.services import signed_in_users
from quanzi.api.deps import Principal
from quanzi.core import coalesce
from quanzi.core.coalesce import Coalescer
from quanzi.core.db import on_database_switch
from quanzi.core.security import token_digest

SIGN_IN_TTL = 30.0  # seconds
MAX_CACHED = 10_000
MAX_BATCH = 500  # tokens per statement

# token digest → (when looked up, the user); keyed by digest, as sign-outs name tokens so
_known: "OrderedDict[str, tuple[float, Principal]]" = OrderedDict()
_drops = 0  # how many times entries were dropped: a lookup spanning a drop is not kept


def cached(token: str) -> Principal | None:
    """The user of ``token`` if it was looked up less than ``SIGN_IN_TTL`` ago."""
    hit = _known.get(token_digest(token))
    if hit is not None and time.monotonic() - hit[0] < SIGN_IN_TTL:
        return hit[1]
    return None


def _remember(found: dict[str, Principal], drops_before: int) -> None:
    if drops_before != _drops:
        return
    now = time.monotonic()
    for token, principal in found.items():
        digest = token_digest(token)
        _known[digest] = (now, principal)
        _known.move_to_end(digest)
    while len(_known) > MAX_CACHED:
        _known.popitem(last=False)


def lookup(tokens: list[str]) -> dict[str, Principal]:
    """token → user for the live tokens among ``tokens`` (one statement; remembered)."""
    drops_before = _drops
    found = {token: Principal(id=row[0], name=row[1], roles=tuple(row[2]), supplier_id=row[3])
             for token, row in signed_in_users(tokens).items()}
    _remember(found, drops_before)
    return found


def drop(ended: sign_outs.Ended) -> None:
    """Forget the ended tokens and every token of the changed users."""
    global _drops
    _drops += 1
    for digest in ended.token_digests:
        _known.pop(digest, None)
    if ended.user_ids:
        for digest in [d for d, (_, user) in list(_known.items()) if user.id in ended.user_ids]:
            _known.pop(digest, None)


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
    global _drops
    _drops += 1
    _known.clear()


on_database_switch(forget)
sign_outs.listen(drop)
