"""Many small asks of an event loop sent as few calls: one call in flight per channel.

The hot routes ask the same thing of Redis or the database for many requests at once
(a flash sale's counter, the buyers' sign-ins). A ``Coalescer`` sends the first ask of
a channel at the next loop tick; asks that arrive while that call runs wait, and go
together as the next call, like a database's group commit. A lone ask waits no longer
than one tick, and the busier the channel, the more asks each call carries.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
Item = TypeVar("Item")
Reply = TypeVar("Reply")

Send = Callable[[Hashable, list[Item]], Awaitable[list[Reply]]]
Orphan = Callable[[Hashable, Item, Reply], Awaitable[None]]


class Coalescer(Generic[Item, Reply]):
    """``ask(channel, item)`` → ``send(channel, items)``'s reply for that item.

    ``send`` answers a batch in order, one reply per item, at most ``max_batch`` items a
    call; when it raises, every ask of the batch hears the exception. A reply whose ask
    was cancelled meanwhile (its client went away) goes to ``orphan``, if given, so that
    what the call took for it can be given back.
    """

    def __init__(self, send: Send[Item, Reply], *, max_batch: int,
                 orphan: Orphan[Item, Reply] | None = None) -> None:
        self.send, self.max_batch, self.orphan = send, max_batch, orphan
        self.calls = 0  # calls sent, for tests and benches
        self._waiting: dict[Hashable, list[tuple[Item, asyncio.Future[Reply]]]] = {}
        self._busy: set[Hashable] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def ask(self, channel: Hashable, item: Item) -> Reply:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Reply] = loop.create_future()
        self._waiting.setdefault(channel, []).append((item, answer))
        if channel not in self._busy:
            self._busy.add(channel)
            task = loop.create_task(self._drain(channel))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await answer

    async def _drain(self, channel: Hashable) -> None:
        try:
            while self._waiting.get(channel):
                asks = self._waiting.pop(channel)
                for start in range(0, len(asks), self.max_batch):
                    await self._call(channel, asks[start:start + self.max_batch])
        finally:
            self._busy.discard(channel)

    async def _call(self, channel: Hashable,
                    asks: list[tuple[Item, "asyncio.Future[Reply]"]]) -> None:
        self.calls += 1
        try:
            replies = await self.send(channel, [item for item, _ in asks])
            if len(replies) != len(asks):
                raise RuntimeError(f"{len(replies)} replies to {len(asks)} asks")
        except Exception as exc:  # noqa: BLE001 - every ask of the batch hears it
            for _, answer in asks:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (item, answer), reply in zip(asks, replies, strict=True):
            if not answer.done():
                answer.set_result(reply)
            elif self.orphan is not None:
                try:
                    await self.orphan(channel, item, reply)
                except Exception:  # the other asks still get their replies
                    log.exception("coalesce: giving back a cancelled ask's reply failed")


_per_loop: dict[tuple[int, str], tuple[asyncio.AbstractEventLoop, Coalescer]] = {}  # type: ignore[type-arg]


def of_loop(name: str, make: Callable[[], Coalescer[Item, Reply]]) -> Coalescer[Item, Reply]:
    """The running loop's coalescer called ``name``, made by ``make()`` on first use."""
    loop = asyncio.get_running_loop()
    entry = _per_loop.get((id(loop), name))
    if entry is None or entry[0] is not loop:
        if len(_per_loop) > 32:  # loops come and go in tests
            _per_loop.clear()
        entry = _per_loop[(id(loop), name)] = (loop, make())
    return entry[1]


def forget(name: str) -> None:
    """Drop every loop's coalescer called ``name`` (its settings changed)."""
    for key in [key for key in _per_loop if key[1] == name]:
        del _per_loop[key]
