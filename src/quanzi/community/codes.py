"""Pickup codes (取货码): random, unique among batch orders, and their QR images.

A code is 12 decimal digits from ``secrets`` (10^12 possibilities: guessing one by
trying is hopeless at any rate the verifier allows), shown to its buyer in groups of four
(``4821 0937 5561``). It says nothing about the order: it is never derived from an id.
What a leader types is read leniently: spaces and dashes are dropped.
"""

import io
import secrets

import qrcode
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from quanzi.community.models import BatchOrder

DIGITS = 12


def new_code(session: Session) -> str:
    """A fresh code no batch order holds yet (the unique index has the last word)."""
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(DIGITS))
        if not session.scalar(select(exists().where(BatchOrder.pickup_code == code))):
            return code


def normalize(typed: str) -> str:
    """What a leader typed or scanned, as stored: ``"4821 0937-5561"`` → ``"482109375561"``."""
    return "".join(ch for ch in typed if ch.isdigit())


def grouped(code: str) -> str:
    """The code as shown: groups of four digits."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def qr_png(code: str) -> bytes:
    """A PNG of the code as a QR (the digits alone, so any scanner reads it)."""
    image = qrcode.QRCode(border=2, box_size=8)
    image.add_data(code)
    image.make(fit=True)
    out = io.BytesIO()
    image.make_image(fill_color="black", back_color="white").get_image().save(out, "PNG")
    return out.getvalue()
