"""Pictures people upload, re-encoded before they are kept.

``reencode`` opens what was sent with Pillow, turns it upright (the EXIF orientation),
scales it so its longer side is at most ``max_side`` and writes a fresh JPEG: nothing of
the original file is kept, so neither its EXIF (place, camera, time) nor anything hidden
after the image data. It refuses, with a stable code and changing nothing:

- more than ``max_bytes`` sent: :class:`TooLarge` ``photo_too_large`` (413);
- anything Pillow cannot read as a picture, or a picture of absurd size (a decompression
  bomb): :class:`InvalidInput` ``not_an_image`` (422).

Example::

    photo = reencode(open("IMG_0001.HEIC.jpg", "rb").read())
    photo.media_type, max(photo.width, photo.height) <= 1600   # ("image/jpeg", True)
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from quanzi.core.errors import InvalidInput, TooLarge

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
QUALITY = 85
MAX_PIXELS = 50_000_000  # a 50-megapixel photo opens; a bomb is refused before decoding


@dataclass(frozen=True)
class Encoded:
    content: bytes
    media_type: str
    width: int
    height: int


def reencode(data: bytes, *, max_side: int = MAX_SIDE, max_bytes: int = MAX_BYTES) -> Encoded:
    """``data`` as a clean JPEG no larger than ``max_side`` on its longer side."""
    if len(data) > max_bytes:
        raise TooLarge(f"a photo may be at most {max_bytes // (1024 * 1024)} MB",
                       code="photo_too_large")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise InvalidInput("this picture is too large to open", code="not_an_image")
            upright = ImageOps.exif_transpose(picture).convert("RGB")
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError,
            Image.DecompressionBombError) as exc:  # what Pillow raises for what it cannot use
        raise InvalidInput("this file is not a picture", code="not_an_image") from exc
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=QUALITY, optimize=True)
    return Encoded(out.getvalue(), "image/jpeg", upright.width, upright.height)
