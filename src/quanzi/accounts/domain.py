"""Pure rules of accounts: roles and login identifiers."""

import re

ROLES = ("consumer", "promoter", "leader", "supplier", "operator")

# Mainland mobile numbers: 11 digits, 1[3-9]x, optionally written with +86.
_PHONE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_SEPARATORS = re.compile(r"[\s-]")


def normalize_phone(text: str) -> str | None:
    """``"+86 138-0013-8000"`` → ``"13800138000"``; None if not a mainland mobile number."""
    cleaned = _SEPARATORS.sub("", text)
    match = _PHONE.match(cleaned)
    return match.group(1) if match else None


def looks_like_email(text: str) -> bool:
    return "@" in text
