"""Share posters (海报): a PNG with the product image, title, price, the sharer and a QR code.

A campaign's poster also carries its kind (拼团, 秒杀 …) and its campaign price ("秒杀价
¥9.90", "3人团 ¥29.90", a bargain run's current price and "还差 2 刀").

Chinese text needs a CJK font: ``QUANZI_CJK_FONT`` or Debian's fonts-wqy-microhei. Without
one, ``FontMissing`` (503 ``font_missing``) is raised: never a poster of empty boxes.
Posters are cached per share under ``data_dir/posters/{code}.png``, except those whose
price moves as people take part (a bargain run, a tiered deal): they are cached under
``{code}-{digest of what they show}.png``, read after a look at the database, so a help or
a new tier draws a new poster and the previous one is deleted.
"""

import hashlib
import io
import os
import threading
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
from quanzi.referral.campaign_port import CampaignCard, campaign_card
from quanzi.referral.catalog_port import product_card
from quanzi.referral.models import Share, Shop

WIDTH, HEIGHT = 750, 1200
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
_RED, _INK, _GREY, _BLOCK = (226, 35, 26), (34, 34, 34), (136, 136, 136), (238, 240, 243)
# the label of each campaign kind, and the words before its price
KIND_LABELS = {"group_buy": "拼团", "group": "拼团", "flash_sale": "秒杀", "bargain": "砍价",
               "bargain_run": "砍价", "tiered": "阶梯团", "presale": "预售"}
_PRICE_WORDS = {"flash_sale": "秒杀价", "bargain": "最低砍至", "bargain_run": "当前价",
                "tiered": "阶梯团价", "presale": "预售价"}


class FontMissing(QuanziError):
    status = 503
    code = "font_missing"


@dataclass(frozen=True)
class PosterData:
    """What a poster shows. ``label`` is a campaign's kind (秒杀), ``price_words`` what comes
    before its price (秒杀价), ``note`` a line under it (还差 2 刀)."""

    title: str
    price_fen: int | None
    image: Path | None
    sharer: str
    url: str
    label: str | None = None
    price_words: str = ""
    note: str | None = None

    @property
    def price_text(self) -> str | None:
        """The price line: "¥12.90", "秒杀价 ¥9.90", "3人团 ¥29.90"; None without a price."""
        if self.price_fen is None:
            return None
        return f"{self.price_words} {format_fen(self.price_fen)}".strip()


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
    campaign = campaign_card(session, share.campaign_kind, share.target_id)
    if campaign is None:
        raise NotFound("no such campaign", code="unknown_campaign")
    return campaign_poster(campaign, sharer, url)


def campaign_poster(card: CampaignCard, sharer: str, url: str) -> PosterData:
    """The poster of a campaign: its goods, kind label and campaign price."""
    note = None
    if card.kind in ("group_buy", "group"):
        words = f"{card.group_size}人团"
    else:
        words = _PRICE_WORDS[card.kind]
    if card.kind == "bargain_run":
        left = card.helps_remaining or 0
        note = f"还差 {left} 刀" if left > 0 else "已砍到底价"
    return PosterData(card.title, card.price_fen, _media(card.image), sharer, url,
                      label=KIND_LABELS[card.kind], price_words=words, note=note)


@dataclass(frozen=True)
class Poster:
    png: bytes
    etag: str  # a fingerprint of what the poster shows


def poster_png(code: str) -> Poster:
    """The poster of share ``code``; 404 unknown code, 503 ``font_missing``.

    What it shows (a price, a bargain's cuts to go, a title) is read each time; the
    drawing is cached under ``posters/{code}-{fingerprint}.png``, so a poster is drawn
    once per content and never shows an old price. Older drawings of the share go.
    """
    font = font_path()
    with read_session() as session:
        data = poster_data(session, code)
    digest = _digest(data)
    folder = get_settings().data_dir / "posters"
    cache = folder / f"{code}-{digest}.png"
    png = _cached(cache)
    if png is None:
        png = render(data, font)
        _store(cache, png)
        for old in [*folder.glob(f"{code}-*.png"), folder / f"{code}.png"]:
            if old != cache:
                old.unlink(missing_ok=True)
    return Poster(png, digest)


def _digest(data: PosterData) -> str:
    """A short fingerprint of everything a poster shows (its cache key and ETag)."""
    return hashlib.sha256(repr(data).encode()).hexdigest()[:16]


def _cached(path: Path) -> bytes | None:
    """A cached poster's bytes, or None (also when another request just replaced it)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _store(cache: Path, png: bytes) -> None:
    """Write atomically: a reader sees the old file or the whole new one."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(cache)


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
    if data.label:
        _badge(draw, data.label, mid)
    y = WIDTH + 30
    for line in _wrap(draw, data.title, mid, WIDTH - 80, 2):
        draw.text((40, y), line, font=mid, fill=_INK)
        y += 48
    if data.price_text is not None:
        price_font = big if draw.textlength(data.price_text, font=big) <= WIDTH - 80 else mid
        draw.text((40, y + 20), data.price_text, font=price_font, fill=_RED)
    if data.note:
        draw.text((40, y + 90), data.note, font=small, fill=_RED)
    draw.text((40, HEIGHT - 150), f"{data.sharer} 推荐给你", font=small, fill=_INK)
    draw.text((40, HEIGHT - 100), "长按识别二维码 · 扫码购买", font=small, fill=_GREY)
    canvas.paste(_qr(data.url, 200), (WIDTH - 240, HEIGHT - 240))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _badge(draw: ImageDraw.ImageDraw, label: str, font: ImageFont.FreeTypeFont) -> None:
    """The campaign's kind, white on red, in the picture's top-left corner."""
    width = int(draw.textlength(label, font=font))
    draw.rounded_rectangle((30, 30, 30 + width + 40, 30 + 60), radius=12, fill=_RED)
    draw.text((50, 60), label, font=font, fill="white", anchor="lm")


def _qr(url: str, size: int) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=8)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image() \
        .convert("RGB").resize((size, size))
