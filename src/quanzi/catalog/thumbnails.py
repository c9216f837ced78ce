"""Square WebP thumbnails of product pictures, made once and kept on disk.

A picture under the data dir's ``media/`` (``media/products/demo-1a2b.png``) has one
thumbnail per width in ``WIDTHS``, kept as ``thumbs/<width>/products/demo-1a2b.png.webp``
beside ``media/``: the middle square of the picture scaled to ``width × width``. Product
cards show square pictures (``object-fit: cover``), so a page can set ``width`` and
``height`` on the ``<img>`` without opening the file.

``ensure(data_dir, width, name)`` makes the thumbnail when it is missing or older than its picture
and returns its path (``None`` for a width not offered, a name outside ``media/`` or a
file Pillow cannot read); later calls only compare two ``stat`` results. The file is
written under a temporary name and renamed, so two processes making the same thumbnail
at once never serve half a file. After a change of ``WIDTHS`` or ``QUALITY``, delete the
``thumbs`` folder: it is only a cache. Example::

    ensure(Path("data"), 240, "products/demo-1a2b.png")
    # -> data/thumbs/240/products/demo-1a2b.png.webp
"""

import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

WIDTHS = (240, 360, 480, 750)
QUALITY = 75  # cwebp's default: no visible loss on a phone screen


def source_of(data_dir: Path, name: str) -> Path | None:
    """The picture ``media/<name>``, or ``None`` when it is missing or lies outside."""
    media = (data_dir / "media").resolve()
    path = (media / name.lstrip("/")).resolve()
    return path if path.is_relative_to(media) and path.is_file() else None


def ensure(data_dir: Path, width: int, name: str) -> Path | None:
    """The thumbnail of ``media/<name>`` at ``width``, made now if missing or stale."""
    source = source_of(data_dir, name)
    if width not in WIDTHS or source is None:
        return None
    relative = source.relative_to((data_dir / "media").resolve()).as_posix()
    target = (data_dir / "thumbs").resolve() / str(width) / f"{relative}.webp"
    if target.is_file() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
        return target
    try:
        _write(source, target, width)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError,
            Image.DecompressionBombError):  # what Pillow raises for a file it cannot use
        return None
    return target


def _write(source: Path, target: Path, width: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as picture:
        upright = ImageOps.exif_transpose(picture)
        clear = upright.has_transparency_data
        square = ImageOps.fit(upright.convert("RGBA" if clear else "RGB"), (width, width),
                              method=Image.Resampling.LANCZOS)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            square.save(out, format="WEBP", quality=QUALITY, method=6)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
