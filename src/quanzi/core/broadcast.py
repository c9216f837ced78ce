"""Changes that every process's caches must hear of, told to all of them at once.

A process keeps a few things in memory for speed (sign-ins, a flash sale's terms, the
referral rules' attribution window). When one process changes such a thing, the others
must stop answering from their copy within a second, not when it expires. The code that
made the change calls :func:`announce` with a topic after its commit; a cache registers
with :func:`listen` for its topic and with :func:`on_gap` for the case where news may
have been missed.

In this process the listeners are called at once. With Redis the news is also published
on one pub/sub channel, ``<prefix>news``, as ``{"origin", "topic", "data"}``; every serving
process runs :func:`subscribed` (a daemon thread) and hands what the others published to
its own listeners, usually within milliseconds. A subscription can break (Redis restarted,
the connection dropped); whatever was published meanwhile is lost, so every time the
subscription is confirmed (at start and after each reconnection) and whenever it fails,
the :func:`on_gap` hooks run and the caches start afresh. Without Redis there is nothing
to tell: other processes' caches fall back to their own expiry (one process per database
is the setup without Redis).

Example::

    broadcast.listen("flash-sales", lambda data: forget_terms())
    broadcast.on_gap(forget_terms)
    broadcast.announce("flash-sales", {"sale_id": 7})   # here now, elsewhere via Redis
"""

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import redis

from quanzi.core.config import get_settings

__all__ = ["announce", "channel", "listen", "on_gap", "subscribed"]

log = logging.getLogger(__name__)
ORIGIN = secrets.token_hex(8)  # this process: its own messages are not applied twice
READ_WAIT_S = 0.5  # how long one read of the subscription waits for a message
RETRY_WAIT_S = 1.0  # after a failed read, before the next attempt (redis-py reconnects)
STOP_WAIT_S = 3.0  # how long leaving ``subscribed`` waits for the listener to end
SETTLE_WAIT_S = 2.0  # how long entering ``subscribed`` waits for Redis to confirm it

Data = dict[str, Any]
Listener = Callable[[Data], None]
_listeners: dict[str, list[Listener]] = {}
_gap_hooks: list[Callable[[], None]] = []


def listen(topic: str, listener: Listener) -> None:
    """Call ``listener(data)`` for each announcement on ``topic``, from any process."""
    found = _listeners.setdefault(topic, [])
    if listener not in found:
        found.append(listener)


def on_gap(forget: Callable[[], None]) -> None:
    """Call ``forget()`` whenever news from other processes may have been missed."""
    if forget not in _gap_hooks:
        _gap_hooks.append(forget)


def channel() -> str:
    return f"{get_settings().redis_prefix}news"


def _wake_channel() -> str:
    """This process's own channel: a message there wakes its listener when it must stop,
    instead of the listener noticing at the end of its current read."""
    return f"{channel()}:wake:{ORIGIN}"


def announce(topic: str, data: Data | None = None) -> None:
    """Tell this process's listeners of ``topic`` now and, with Redis, every other
    process's. A failure to publish is logged: the others then learn by expiry."""
    data = data or {}
    _tell(topic, data)
    url = get_settings().redis_url
    if not url:
        return
    message = json.dumps({"origin": ORIGIN, "topic": topic, "data": data})
    try:
        with redis.Redis.from_url(url, socket_timeout=2) as client:
            client.publish(channel(), message)
    except redis.RedisError as exc:
        log.warning("%s not published to other processes: %s", topic, exc)


def _tell(topic: str, data: Data) -> None:
    for listener in list(_listeners.get(topic, ())):
        listener(data)


def _gap() -> None:
    for forget in list(_gap_hooks):
        forget()


def received(raw: bytes | str) -> None:
    """Hand one published message to this process's listeners (not its own)."""
    try:
        message = json.loads(raw)
        if message.get("origin") == ORIGIN:
            return
        _tell(str(message["topic"]), dict(message.get("data") or {}))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("ignored a malformed message on the news channel: %s", exc)


def _read(pubsub: Any, wait: float = READ_WAIT_S) -> bool:
    """One read of the subscription: a message, a (re)subscription, or nothing. True when
    it was the news channel's (re)subscription."""
    if not pubsub.channels:  # the first subscription failed: try again
        pubsub.subscribe(channel(), _wake_channel())
    message = pubsub.get_message(timeout=wait)
    if message is None:
        return False
    if message["type"] == "subscribe":
        if message["channel"] in (channel(), channel().encode()):
            _gap()  # (re)subscribed: what was published before is unknown
            return True
    elif message["type"] == "message":
        received(message["data"])
    return False


def _settle(pubsub: Any) -> None:
    """Read the first subscription's confirmation before the caller goes on, so that the
    caches start afresh then, not at some moment after the caller has filled them."""
    deadline = time.monotonic() + SETTLE_WAIT_S
    while time.monotonic() < deadline:
        if _read(pubsub, wait=max(0.0, deadline - time.monotonic())):
            return


def _loop(pubsub: Any, stop: threading.Event) -> None:
    failing = False
    while not stop.is_set():
        try:
            _read(pubsub)
            failing = False
        except (redis.RedisError, OSError) as exc:
            if not failing:
                log.warning("news listener: %s (reconnecting)", exc)
            failing = True
            _gap()
            stop.wait(RETRY_WAIT_S)
        except Exception:  # a listener's bug must not end the subscription
            log.exception("news listener: a listener failed; its caches start afresh")
            _gap()
    pubsub.close()


@contextmanager
def subscribed() -> Iterator[None]:
    """While the block runs, hand other processes' news to this process's listeners (a
    daemon thread; nothing without Redis)."""
    url = get_settings().redis_url
    if not url:
        yield
        return
    pool = redis.ConnectionPool.from_url(url, health_check_interval=30,
                                         client_name=f"quanzi-news-{ORIGIN}")
    pubsub = redis.client.PubSub(pool)
    stop = threading.Event()
    try:
        pubsub.subscribe(channel(), _wake_channel())
        _settle(pubsub)
    except redis.RedisError as exc:  # the loop subscribes when it reconnects
        log.warning("news listener: %s (will retry)", exc)
    thread = threading.Thread(target=_loop, args=(pubsub, stop), name="news", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        _wake(pool)
        thread.join(STOP_WAIT_S)
        pool.disconnect()


def _wake(pool: redis.ConnectionPool) -> None:
    """End the listener's current read now (its own message, which it ignores)."""
    with suppress(redis.RedisError):  # else it ends at the end of its read
        redis.Redis(connection_pool=pool).publish(_wake_channel(),
                                                  json.dumps({"origin": ORIGIN}))
