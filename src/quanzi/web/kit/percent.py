"""Rates as people write them: percentages with up to two decimals, kept as basis points.

``bp_from_percent("12.5") == 1250``, ``bp_from_percent("10") == 1000``, ``"" → None``;
anything else (``"abc"``, ``"1.234"``, ``"-1"``) raises ValueError. ``percent_of(1250) ==
"12.5"``, ``percent_of(1000) == "10"``. The forms convert; the API keeps basis points.
"""

import re

_PERCENT = re.compile(r"([0-9]{1,7})(?:\.([0-9]{1,2}))?")


def bp_from_percent(raw: str) -> int | None:
    text = raw.strip().removesuffix("%").strip()
    if not text:
        return None
    found = _PERCENT.fullmatch(text)
    if found is None:
        raise ValueError(f"not a percentage: {raw!r}")
    whole, cents = found.group(1), (found.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)


def percent_of(bp: int) -> str:
    whole, cents = divmod(bp, 100)
    return str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")
