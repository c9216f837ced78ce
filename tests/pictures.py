"""Pictures made in memory for the upload tests: a JPEG with EXIF, like a phone's."""

import io

from PIL import Image


def picture(size: tuple[int, int] = (40, 30), fmt: str = "JPEG", exif: bool = True) -> bytes:
    """A red picture of ``size`` in ``fmt``; with ``exif``, the maker and time a phone
    writes (which the upload must not keep)."""
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0132] = "2026:12:01 10:00:00"  # DateTime
        extra["exif"] = tags.tobytes()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt, **extra)
    return out.getvalue()
