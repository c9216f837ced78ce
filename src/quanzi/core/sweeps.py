"""Periodic sweeps: find the rows that are due, then handle each in its own transaction."""

from collections.abc import Callable
from typing import Any

from quanzi.core.db import read_session


def sweep(query: Any, handle: Callable[[int], bool], *, limit: int = 200) -> int:
    """Call ``handle(id)`` for each id ``query`` selects (in its order, at most ``limit``);
    returns how many it handled (``handle`` answered True).

    The ids are read without taking the write lock. ``handle`` owns its transaction and
    claims its row by a conditional update, so two sweeps at once handle each row once.
    """
    with read_session() as session:
        ids = list(session.scalars(query.limit(limit)))
    return sum(1 for ident in ids if handle(ident))
