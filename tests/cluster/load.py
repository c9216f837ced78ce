"""Many HTTP requests at once from one thread (asyncio + httpx), each answer kept."""

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Ask:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Answer:
    ask: Ask
    status: int  # 0: no answer (the connection failed or was cut)
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def send_all(asks: list[Ask], *, concurrency: int = 48,
             stop: threading.Event | None = None,
             heard: Callable[[Answer], None] | None = None) -> list[Answer]:
    """Send ``asks`` on ``concurrency`` connections; the answers in the order of ``asks``
    (those not sent because ``stop`` was set are left out). ``heard`` sees each answer."""
    return asyncio.run(_send_all(asks, concurrency, stop or threading.Event(), heard))


async def _send_all(asks: list[Ask], concurrency: int, stop: threading.Event,
                    heard: Callable[[Answer], None] | None) -> list[Answer]:
    answers: list[Answer | None] = [None] * len(asks)
    queue = iter(enumerate(asks))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits, follow_redirects=False) as client:

        async def sender() -> None:
            for index, ask in queue:
                if stop.is_set():
                    return
                answer = await _send(client, ask)
                answers[index] = answer
                if heard is not None:
                    heard(answer)

        await asyncio.gather(*(sender() for _ in range(concurrency)))
    return [answer for answer in answers if answer is not None]


async def _send(client: httpx.AsyncClient, ask: Ask) -> Answer:
    try:
        response = await client.request(ask.method, ask.url, headers=ask.headers,
                                        json=ask.body)
    except httpx.TransportError:
        return Answer(ask, 0)
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    return Answer(ask, response.status_code, body if isinstance(body, dict) else None,
                  dict(response.headers))
