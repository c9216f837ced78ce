"""Share codes, invite codes and pasteable tokens (口令).

A share code is 10 random base62 characters from ``secrets`` (62**10 ≈ 8e17: not
guessable); codes of 8 to 16 base62 characters are accepted when reading.
"""

import re
import secrets
import string

BASE62 = string.digits + string.ascii_letters
SHARE_CODE_LENGTH = 10
_INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L

_CODE = re.compile(r"^[0-9A-Za-z]{8,16}$")
_TOKEN_MARKS = "￥¥$"
_IN_MARKS = re.compile(rf"[{_TOKEN_MARKS}]([0-9A-Za-z]{{8,16}})[{_TOKEN_MARKS}]")
_IN_LINK = re.compile(r"/s/([0-9A-Za-z]{8,16})(?![0-9A-Za-z])")


def new_share_code() -> str:
    return "".join(secrets.choice(BASE62) for _ in range(SHARE_CODE_LENGTH))


def new_invite_code() -> str:
    return "".join(secrets.choice(_INVITE_ALPHABET) for _ in range(8))


def looks_like_code(text: str) -> bool:
    """True for 8–16 base62 characters (the only shape a share code can have)."""
    return bool(_CODE.match(text))


def token_for(code: str) -> str:
    """The pasteable token of a share: ``token_for("K7dQ2mXa") == "￥K7dQ2mXa￥"``."""
    return f"￥{code}￥"


def extract_code(text: str) -> str | None:
    """The share code in any pasted text, or None.

    Finds ``￥code￥`` (also ``¥`` and ``$`` marks) or a ``/s/code`` link:
    ``extract_code("【盒马】上海青 ￥K7dQ2mXa￥ 复制打开") == "K7dQ2mXa"``.
    """
    for pattern in (_IN_MARKS, _IN_LINK):
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None
