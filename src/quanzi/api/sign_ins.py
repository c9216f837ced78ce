"""Sign-ins remembered for a short while, for the hot routes (the flash-sale buy).

A flash sale's first second brings thousands of buyers the process has not seen yet.
Looking each one up on a thread of its own would queue them behind each other; here
the lookups that reach the event loop together go to the database as ONE statement on
one thread (``accounts.services.signed_in_users``), and the answers are kept for
``SIGN_IN_TTL`` seconds (a revoked token stops working within that time).
"""

import asyncio
import time
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool

from quanzi.accounts.services import signed_in_users
from quanzi.api.deps import Principal
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


class _Batch:
    """The lookups of one event loop, sent together once per loop tick."""

    def __init__(self) -> None:
        self.waiting: dict[str, list[asyncio.Future[Principal | None]]] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    async def ask(self, token: str) -> Principal | None:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Principal | None] = loop.create_future()
        if not self.waiting:
            loop.call_soon(self.flush)
        self.waiting.setdefault(token, []).append(answer)
        return await answer

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, {}
        task = asyncio.ensure_future(self.send(waiting))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def send(self, waiting: dict[str, list["asyncio.Future[Principal | None]"]]) -> None:
        tokens = list(waiting)
        for start in range(0, len(tokens), MAX_BATCH):
            part = tokens[start:start + MAX_BATCH]
            try:
                found = await run_in_threadpool(lookup, part)
            except Exception as exc:  # every ask hears the failure
                for token in part:
                    for answer in waiting[token]:
                        if not answer.done():
                            answer.set_exception(exc)
                continue
            for token in part:
                for answer in waiting[token]:
                    if not answer.done():
                        answer.set_result(found.get(token))


_batches: dict[int, tuple[asyncio.AbstractEventLoop, _Batch]] = {}


async def principal_async(token: str) -> Principal | None:
    """The user of ``token``: from the cache, else looked up with the others of this tick."""
    hit = cached(token)
    if hit is not None:
        return hit
    loop = asyncio.get_running_loop()
    entry = _batches.get(id(loop))
    if entry is None or entry[0] is not loop:
        if len(_batches) > 8:
            _batches.clear()
        entry = _batches[id(loop)] = (loop, _Batch())
    return await entry[1].ask(token)


def forget() -> None:
    _known.clear()


on_database_switch(forget)
