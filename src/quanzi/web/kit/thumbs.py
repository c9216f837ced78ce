"""Product thumbnails served at ``/media/thumbs/<width>/<picture>.webp``.

``thumb("/media/products/a.png", 240)`` (a Jinja global) is the URL of the 240 × 240 WebP
thumbnail of ``media/products/a.png``; a picture from elsewhere (``https://…``) comes back
as it is. The first request for a thumbnail makes it (``catalog.thumbnails``, in a worker
thread) and every later one is a plain file answer, so no page pays for resizing twice.
A thumbnail keeps its picture's name, so it is cached for a day, not for a year.
"""

from pathlib import Path

import anyio
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from quanzi.catalog import thumbnails

PREFIX = "/media/thumbs"
MEDIA = "/media/"
CACHE_CONTROL = "public, max-age=86400"
SIZES = thumbnails.WIDTHS


def thumb(url: str, width: int) -> str:
    """The thumbnail URL of the product picture ``url`` at ``width`` (one of ``SIZES``)."""
    if url.startswith(MEDIA) and not url.startswith(PREFIX + "/"):
        return f"{PREFIX}/{width}/{url.removeprefix(MEDIA)}.webp"
    return url


class Thumbnails(StaticFiles):
    """The thumbnails under ``data_dir/thumbs``, each made on its first request."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        (data_dir / "thumbs").mkdir(parents=True, exist_ok=True)
        super().__init__(directory=data_dir / "thumbs")

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["method"] in ("GET", "HEAD"):
            width, _, name = Path(path).as_posix().partition("/")
            if not (width.isdigit() and name.endswith(".webp")):
                raise HTTPException(status_code=404)
            made = await anyio.to_thread.run_sync(thumbnails.ensure, self.data_dir, int(width),
                                                  name.removesuffix(".webp"))
            if made is None:
                raise HTTPException(status_code=404)
        response = await super().get_response(path, scope)
        response.headers["cache-control"] = CACHE_CONTROL
        return response
