"""The coalescer of the hot routes: one call in flight per channel, the asks that arrive
meanwhile sent together as the next call, each ask answered with its own reply."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from quanzi.core.coalesce import Coalescer


def _run(coroutine):  # type: ignore[no-untyped-def]
    """A loop of its own on a thread (the browser tests keep one running in the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Recorder:
    """A ``send`` that doubles each item, records each call's items, and can be held."""

    def __init__(self) -> None:
        self.batches: list[tuple[object, list[int]]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def send(self, channel: object, items: list[int]) -> list[int]:
        self.batches.append((channel, list(items)))
        await self.gate.wait()
        return [item * 2 for item in items]


def test_asks_of_one_tick_go_as_one_call_and_each_hears_its_own_reply():
    async def main():  # type: ignore[no-untyped-def]
        sent = Recorder()
        asks = Coalescer(sent.send, max_batch=100)
        replies = await asyncio.gather(*(asks.ask("sale", n) for n in range(10)))
        return replies, sent.batches

    replies, batches = _run(main())
    assert replies == [n * 2 for n in range(10)]
    assert batches == [("sale", list(range(10)))]


def test_asks_arriving_while_a_call_is_in_flight_wait_and_go_together():
    async def main():  # type: ignore[no-untyped-def]
        sent = Recorder()
        sent.gate.clear()
        asks = Coalescer(sent.send, max_batch=100)
        first = asyncio.ensure_future(asks.ask("sale", 1))
        await asyncio.sleep(0.01)  # the first call is in flight, held at the gate
        later = [asyncio.ensure_future(asks.ask("sale", n)) for n in range(2, 7)]
        await asyncio.sleep(0.01)
        held = list(sent.batches)
        sent.gate.set()
        return held, await first, await asyncio.gather(*later), sent.batches

    held, first, later, batches = _run(main())
    assert held == [("sale", [1])]  # nothing more was sent while the first call ran
    assert first == 2 and later == [4, 6, 8, 10, 12]
    assert batches == [("sale", [1]), ("sale", [2, 3, 4, 5, 6])]


def test_channels_are_independent_and_batches_are_capped():
    async def main():  # type: ignore[no-untyped-def]
        sent = Recorder()
        asks = Coalescer(sent.send, max_batch=3)
        await asyncio.gather(*(asks.ask(n % 2, n) for n in range(8)))
        return sent.batches, asks.calls

    batches, calls = _run(main())
    assert sorted(batches) == [(0, [0, 2, 4]), (0, [6]), (1, [1, 3, 5]), (1, [7])]
    assert calls == 4


def test_a_failed_call_fails_every_ask_of_its_batch_and_the_next_call_goes_on():
    async def main():  # type: ignore[no-untyped-def]
        calls = 0

        async def flaky(channel: object, items: list[int]) -> list[int]:
            nonlocal calls
            calls += 1
            if calls == 1:
                raise ConnectionError("redis went away")
            return items

        asks = Coalescer(flaky, max_batch=10)
        failed = await asyncio.gather(asks.ask("s", 1), asks.ask("s", 2), return_exceptions=True)
        return failed, await asks.ask("s", 3)

    failed, after = _run(main())
    assert [type(answer) for answer in failed] == [ConnectionError, ConnectionError]
    assert after == 3


def test_a_reply_to_a_cancelled_ask_goes_to_the_orphan_hook():
    async def main():  # type: ignore[no-untyped-def]
        sent = Recorder()
        sent.gate.clear()
        orphans: list[tuple[object, int, int]] = []

        async def orphan(channel: object, item: int, reply: int) -> None:
            orphans.append((channel, item, reply))

        asks = Coalescer(sent.send, max_batch=10, orphan=orphan)
        gone = asyncio.ensure_future(asks.ask("sale", 5))
        kept = asyncio.ensure_future(asks.ask("sale", 6))
        await asyncio.sleep(0.01)
        gone.cancel()
        sent.gate.set()
        with pytest.raises(asyncio.CancelledError):
            await gone
        return await kept, orphans

    kept, orphans = _run(main())
    assert kept == 12
    assert orphans == [("sale", 5, 10)]


def test_a_send_that_answers_the_wrong_number_of_replies_fails_the_batch_not_hangs_it():
    async def main():  # type: ignore[no-untyped-def]
        async def short(channel: object, items: list[int]) -> list[int]:
            return items[:-1]

        asks = Coalescer(short, max_batch=10)
        return await asyncio.wait_for(asyncio.gather(asks.ask("s", 1), asks.ask("s", 2),
                                                     return_exceptions=True), timeout=5)

    answers = _run(main())
    assert [type(answer) for answer in answers] == [RuntimeError, RuntimeError]


def test_a_failing_orphan_hook_does_not_keep_the_others_waiting():
    async def main():  # type: ignore[no-untyped-def]
        sent = Recorder()
        sent.gate.clear()

        async def broken(channel: object, item: int, reply: int) -> None:
            raise ConnectionError("could not give it back")

        asks = Coalescer(sent.send, max_batch=10, orphan=broken)
        gone = asyncio.ensure_future(asks.ask("sale", 1))
        kept = asyncio.ensure_future(asks.ask("sale", 2))
        await asyncio.sleep(0.01)
        gone.cancel()
        sent.gate.set()
        return await asyncio.wait_for(kept, timeout=5)

    assert _run(main()) == 4
