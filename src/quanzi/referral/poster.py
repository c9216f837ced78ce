"""Share posters (海报): a PNG with the product image, title, price, the sharer and a QR code.

Chinese text needs a CJK font: ``QUANZI_CJK_FONT`` or Debian's fonts-wqy-microhei. Without
one, ``FontMissing`` (503 ``font_missing``) is raised: never a poster of empty boxes.
Posters are cached per share under ``data_dir/posters/{code}.png``.
"""

import io
import os
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from quanzi.accounts.services import get_user
from quanzi.core.config import get_settings
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound, QuanziError
from quanzi.core.money import format_fen
from quanzi.referral import codes
from quanzi.referral.catalog_port import product_card
from quanzi.referral.models import Share, Shop

WIDTH, HEIGHT = 750, 1200
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
_RED, _INK, _GREY, _BLOCK = (226, 35, 26), (34, 34, 34), (136, 136, 136), (238, 240, 243)


class FontMissing(QuanziError):
    status = 503
    code = "font_missing"


@dataclass(frozen=True)
class PosterData:
    title: str
    price_fen: int | None
    image: Path | None
    sharer: str
    url: str


def font_path() -> Path:
    """The CJK font to draw with; FontMissing when there is none."""
    path = Path(os.environ.get("QUANZI_CJK_FONT") or DEFAULT_FONT)
    if not path.is_file():
        raise FontMissing(f"no CJK font at {path}: install fonts-wqy-microhei "
                          "(apt-get install fonts-wqy-microhei) or set QUANZI_CJK_FONT")
    return path


def _media(name: str | None) -> Path | None:
    if not name:
        return None
    media = (get_settings().data_dir / "media").resolve()
    path = (media / name.removeprefix("/media/").lstrip("/")).resolve()
    return path if path.is_relative_to(media) and path.is_file() else None


def poster_data(session: Session, code: str) -> PosterData:
    """What the poster of share ``code`` shows; 404 for an unknown code."""
    share = session.scalar(select(Share).where(Share.code == code)) \
        if codes.looks_like_code(code) else None
    if share is None:
        raise NotFound("no such share")
    sharer = get_user(session, share.promoter_id).name
    url = f"{get_settings().base_url.rstrip('/')}/s/{code}"
    if share.target_kind == "product":
        card = product_card(session, share.target_id)
        if card is None:
            raise NotFound("the shared product is no longer on sale")
        return PosterData(card.title, card.price_fen, _media(card.image), sharer, url)
    if share.target_kind == "shop":
        shop = session.get(Shop, share.target_id)
        return PosterData(f"{shop.name if shop else ''} 的小铺", None, None, sharer, url)
    return PosterData("限时活动 · 快来参加", None, None, sharer, url)


def poster_png(code: str) -> bytes:
    """The poster of share ``code`` (cached); 404 unknown code, 503 ``font_missing``."""
    font = font_path()
    cache = get_settings().data_dir / "posters" / f"{code}.png"
    if codes.looks_like_code(code) and cache.is_file():
        return cache.read_bytes()
    with read_session() as session:
        data = poster_data(session, code)
    png = render(data, font)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(cache)
    return png


def _fitted(path: Path, box: int) -> Image.Image:
    with Image.open(path) as source:
        image = source.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side)).resize((box, box))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int, lines: int) -> list[str]:
    out, current = [], ""
    for char in text:
        if draw.textlength(current + char, font=font) > width:
            out.append(current)
            current = char
            if len(out) == lines:
                out[-1] = out[-1][:-1] + "…"
                return out
        else:
            current += char
    return [*out, current] if current else out


def render(data: PosterData, font_file: Path) -> bytes:
    """Draw the poster and return PNG bytes (WIDTH × HEIGHT)."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(canvas)
    big, mid, small = (ImageFont.truetype(str(font_file), size) for size in (52, 36, 26))
    if data.image is not None:
        canvas.paste(_fitted(data.image, WIDTH), (0, 0))
    else:
        draw.rectangle((0, 0, WIDTH, WIDTH), fill=_BLOCK)
        draw.text((WIDTH // 2, WIDTH // 2), "圈子", font=big, fill=_GREY, anchor="mm")
    y = WIDTH + 30
    for line in _wrap(draw, data.title, mid, WIDTH - 80, 2):
        draw.text((40, y), line, font=mid, fill=_INK)
        y += 48
    if data.price_fen is not None:
        draw.text((40, y + 20), format_fen(data.price_fen), font=big, fill=_RED)
    draw.text((40, HEIGHT - 150), f"{data.sharer} 推荐给你", font=small, fill=_INK)
    draw.text((40, HEIGHT - 100), "长按识别二维码 · 扫码购买", font=small, fill=_GREY)
    canvas.paste(_qr(data.url, 200), (WIDTH - 240, HEIGHT - 240))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _qr(url: str, size: int) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=8)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image() \
        .convert("RGB").resize((size, size))
