"""The one source of "now". Tests move it; code never calls datetime.now() directly."""

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware (UTC), shifted by any test offset."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (or back) by ``delta``."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen += delta
    _offset += delta


def freeze(at: datetime | None = None) -> None:
    """Stop the clock at ``at`` (default: now)."""
    global _frozen
    _frozen = at or now()


def reset() -> None:
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None


def aware(value: datetime) -> datetime:
    """Read a stored datetime back as UTC-aware (SQLite keeps no zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
