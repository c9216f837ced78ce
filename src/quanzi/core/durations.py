"""Parse human durations such as ``15m``, ``7d``, ``1h30m`` or ``0s``."""

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str | int | timedelta) -> timedelta:
    """Return the duration ``text`` names.

    Accepts a timedelta, a number of seconds, or units s/m/h/d run together:
    ``parse_duration("1h30m") == timedelta(minutes=90)``. Raises ValueError otherwise.
    """
    if isinstance(text, timedelta):
        return text
    if isinstance(text, int):
        return timedelta(seconds=text)
    cleaned = text.strip().lower()
    if cleaned.isdigit():
        return timedelta(seconds=int(cleaned))
    parts = _PART.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts) != cleaned:
        raise ValueError(f"not a duration: {text!r} (use e.g. 15m, 7d, 1h30m, 0s)")
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in parts))
