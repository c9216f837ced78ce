"""Placeholder product pictures for the demo data, drawn with Pillow.

A 600×600 PNG: a soft background, a simple shape and, when a CJK font is installed
(Debian ``fonts-wqy-microhei``), the first Chinese characters of the title. Without
such a font only the shapes are drawn, so no picture ever shows tofu boxes.
"""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 600
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
_PALETTE = (  # (background, shape, text)
    ((232, 245, 233), (129, 199, 132), (27, 94, 32)),
    ((255, 243, 224), (255, 183, 77), (191, 54, 12)),
    ((227, 242, 253), (100, 181, 246), (13, 71, 161)),
    ((252, 228, 236), (240, 98, 146), (136, 14, 79)),
    ((243, 229, 245), (186, 104, 200), (74, 20, 140)),
    ((255, 253, 231), (220, 200, 80), (130, 100, 0)),
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _font_path() -> Path | None:
    for path in CJK_FONTS:
        if path.is_file():
            return path
    return None


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    path = _font_path()
    if path is None:
        return None
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return None


def label_for(title: str, limit: int = 4) -> str:
    """The first run of Chinese characters in ``title``, at most ``limit`` of them."""
    match = _CJK_RUN.search(title)
    return match.group(0)[:limit] if match else ""


def file_name(title: str) -> str:
    """A stable ASCII file name for a product title."""
    return f"demo-{hashlib.sha1(title.encode()).hexdigest()[:12]}.png"


def draw(title: str, path: Path) -> None:
    """Write the picture for ``title`` to ``path`` (its folder must exist)."""
    digest = hashlib.sha1(title.encode()).digest()
    background, shape, ink = _PALETTE[digest[0] % len(_PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    canvas = ImageDraw.Draw(image)
    if digest[1] % 2:
        canvas.ellipse((110, 90, 490, 470), fill=shape)
    else:
        canvas.rounded_rectangle((120, 100, 480, 460), radius=60, fill=shape)
    label = label_for(title)
    font = _font(96 if len(label) <= 3 else 80)
    if label and font is not None:
        canvas.text((SIZE // 2, 280), label, font=font, fill=(255, 255, 255), anchor="mm",
                    stroke_width=3, stroke_fill=ink)
    image.save(path, format="PNG")
