"""Money is integer fen. Rounding happens here and nowhere else."""

import re

BP_SCALE = 10_000  # basis points: 10000 bp = 100 %


def share_of(amount_fen: int, rate_bp: int) -> int:
    """``rate_bp`` basis points of ``amount_fen``, rounded down: ``share_of(999, 500) == 49``."""
    if amount_fen < 0 or rate_bp < 0:
        raise ValueError("amount and rate must be non-negative")
    return amount_fen * rate_bp // BP_SCALE


def prorate(amount_fen: int, part: int, whole: int) -> int:
    """The part of ``amount_fen`` that ``part`` of ``whole`` stands for, rounded down."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError("need 0 <= part <= whole and whole > 0")
    return amount_fen * part // whole


def format_fen(amount_fen: int) -> str:
    """``format_fen(1234) == "¥12.34"``; negative amounts keep their sign in front."""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(amount_fen), 100)
    return f"{sign}¥{yuan:,}.{fen:02d}"


def plain_yuan(amount_fen: int) -> str:
    """The amount in yuan as a spreadsheet reads it: ``plain_yuan(123456) == "1234.56"``."""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(amount_fen), 100)
    return f"{sign}{yuan}.{fen:02d}"


_YUAN = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


def parse_yuan(text: str) -> int | None:
    """An amount typed in yuan, in fen: ``parse_yuan("¥12.3") == 1230``; None for anything
    that is not a plain amount (no sign, at most two decimals)."""
    cleaned = text.replace("¥", "").strip()
    if not _YUAN.fullmatch(cleaned):
        return None
    whole, _, cents = cleaned.partition(".")
    return int(whole) * 100 + int(cents.ljust(2, "0") or 0)
