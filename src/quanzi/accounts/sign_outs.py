"""Sign-ins that ended: told at once to every cache of sign-ins, in every process.

A sign-out ends one token; a user whose roles changed (or who was disabled) has every
token's cached answer go stale. Code that remembers sign-ins (``accounts/sign_ins.py``, the
flash buy's cache) listens here with :func:`listen`; the accounts services call
:func:`announce` after their change is committed (or record it on the session with
:func:`after_commit`, announced when that transaction commits).

In this process the listeners are called directly. With Redis configured the news is
also published on the ``<prefix>sign-outs`` channel, and each serving process runs
:func:`subscribed` (a listener thread of redis-py's pub/sub), which hands what other
processes published to its own listeners, usually within milliseconds. Without Redis
other processes learn nothing here: their caches fall back to their own expiry.

Example::

    sign_outs.listen(lambda ended: cache.drop(ended))
    sign_outs.announce(token_digests=[token_digest(token)])
"""

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis
from sqlalchemy.orm import Session

from quanzi.core.config import get_settings
from quanzi.core.db import on_after_commit

log = logging.getLogger(__name__)
PENDING_USERS = "sign_outs.user_ids"  # session.info key: users to announce after commit
_ORIGIN = secrets.token_hex(8)  # this process: its own messages are not applied twice


@dataclass(frozen=True)
class Ended:
    """Tokens (by their sha256 digest) and users whose cached sign-ins are stale."""

    token_digests: frozenset[str] = frozenset()
    user_ids: frozenset[int] = frozenset()


Listener = Callable[[Ended], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener`` with every :class:`Ended`, from this process or (with Redis)
    from any other."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell(ended: Ended) -> None:
    for listener in _listeners:
        listener(ended)


def channel() -> str:
    return f"{get_settings().redis_prefix}sign-outs"


def announce(*, token_digests: Iterable[str] = (), user_ids: Iterable[int] = ()) -> None:
    """Drop these sign-ins from every cache: here now, elsewhere through Redis."""
    ended = Ended(frozenset(token_digests), frozenset(user_ids))
    if not ended.token_digests and not ended.user_ids:
        return
    _tell(ended)
    url = get_settings().redis_url
    if url:
        message = json.dumps({"origin": _ORIGIN, "tokens": sorted(ended.token_digests),
                              "users": sorted(ended.user_ids)})
        try:
            with redis.Redis.from_url(url, socket_timeout=2) as client:
                client.publish(channel(), message)
        except redis.RedisError as exc:
            log.warning("sign-out not published to other processes: %s", exc)


def after_commit(session: Session, user_id: int) -> None:
    """Announce ``user_id`` once the transaction of ``session`` commits."""
    session.info.setdefault(PENDING_USERS, set()).add(user_id)


def _announce_committed(info: dict[str, Any]) -> None:
    users = info.get(PENDING_USERS)
    if users:
        announce(user_ids=users)


def plug() -> None:
    """Announce the users recorded by :func:`after_commit` once their transaction commits
    (``quanzi.wiring.wire``)."""
    on_after_commit(_announce_committed)


def _received(message: dict[str, Any]) -> None:
    try:
        data = json.loads(message["data"])
        if data.get("origin") == _ORIGIN:
            return
        _tell(Ended(frozenset(map(str, data.get("tokens", []))),
                    frozenset(int(u) for u in data.get("users", []))))
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("ignored a malformed sign-out message: %s", exc)


@contextmanager
def subscribed() -> Iterator[None]:
    """While the block runs, hand other processes' sign-outs to this process's listeners
    (a daemon thread; nothing without Redis)."""
    url = get_settings().redis_url
    if not url:
        yield
        return
    # a pool of its own, held by the pub/sub (no client whose end would close it early)
    pool = redis.ConnectionPool.from_url(url, health_check_interval=30)
    pubsub = redis.client.PubSub(pool, ignore_subscribe_messages=True)
    pubsub.subscribe(**{channel(): _received})
    worker = pubsub.run_in_thread(sleep_time=0.5, daemon=True,
                                  exception_handler=_on_error)
    try:
        yield
    finally:
        worker.stop()  # the thread closes its pub/sub connection when its read times out


def _on_error(error: BaseException, pubsub: Any, worker: Any) -> None:
    """redis-py reconnects and subscribes again on the next read; wait a moment first."""
    log.warning("sign-out listener: %s (reconnecting)", error)
    time.sleep(1)
