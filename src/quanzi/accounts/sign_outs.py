"""Sign-ins that ended: told at once to every cache of sign-ins, in every process.

A sign-out ends one token; a user whose roles changed (or who was disabled) has every
token's cached answer go stale. Code that remembers sign-ins (``accounts/sign_ins.py``, the
flash buy's cache) listens here with :func:`listen`; the accounts services call
:func:`announce` after their change is committed (or record it on the session with
:func:`after_commit`, announced when that transaction commits).

In this process the listeners are called directly; other processes hear of it through
``core.broadcast`` (topic ``sign-outs``: with Redis, within milliseconds), and a listener
that may have missed news there forgets every sign-in it holds (``broadcast.on_gap``).
Without Redis other processes learn nothing here: their caches fall back to their own
expiry.

Example::

    sign_outs.listen(lambda ended: cache.drop(ended))
    sign_outs.announce(token_digests=[token_digest(token)])
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from quanzi.core import broadcast
from quanzi.core.db import on_after_commit

PENDING_USERS = "sign_outs.user_ids"  # session.info key: users to announce after commit
TOPIC = "sign-outs"


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


def announce(*, token_digests: Iterable[str] = (), user_ids: Iterable[int] = ()) -> None:
    """Drop these sign-ins from every cache: here now, elsewhere through Redis."""
    ended = Ended(frozenset(token_digests), frozenset(user_ids))
    if ended.token_digests or ended.user_ids:
        broadcast.announce(TOPIC, {"tokens": sorted(ended.token_digests),
                                   "users": sorted(ended.user_ids)})


def after_commit(session: Session, user_id: int) -> None:
    """Announce ``user_id`` once the transaction of ``session`` commits."""
    session.info.setdefault(PENDING_USERS, set()).add(user_id)


def _announce_committed(info: dict[str, Any]) -> None:
    users = info.get(PENDING_USERS)
    if users:
        announce(user_ids=users)


def plug() -> None:
    """Announce the users recorded by :func:`after_commit` once their transaction commits,
    and hand sign-outs announced anywhere to the listeners (``quanzi.wiring.wire``)."""
    on_after_commit(_announce_committed)
    broadcast.listen(TOPIC, _received)


def _received(data: dict[str, Any]) -> None:
    _tell(Ended(frozenset(map(str, data.get("tokens", []))),
                frozenset(int(user) for user in data.get("users", []))))
