"""Static files under URLs that name their content, cacheable for a year.

``asset("quanzi.css")`` (a Jinja global) gives ``/static/quanzi.css?v=<hash>``, the hash
being the first characters of the file's SHA-256. An answer to a URL whose ``v`` is the
file's current hash carries ``Cache-Control: public, max-age=31536000, immutable``; the
same file asked without ``v`` or with an old one carries ``no-cache`` (the browser checks
its ETag), so a stale URL is never cached for long. A changed file (its size or
modification time) is hashed again on its next use, so it gets a new URL at once.

``/static`` serves ``web/static`` and, from the pinned ``django-js-lib-htmx`` package,
``htmx/htmx.min.js``. Example::

    static_assets().url("htmx/htmx.min.js")  # -> "/static/htmx/htmx.min.js?v=9c1e0a4b7d2f"
"""

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_CHARS = 12
STATIC_DIR = Path(__file__).parent.parent / "static"
HTMX_PACKAGE = ("js_lib_htmx", "static")  # holds htmx/htmx.min.js


class Assets(StaticFiles):
    """``StaticFiles`` mounted at ``prefix`` whose URLs carry a content hash (see above)."""

    def __init__(self, prefix: str, *, directory: PathLike | None = None,
                 packages: list[str | tuple[str, str]] | None = None) -> None:
        super().__init__(directory=directory, packages=packages)
        self.prefix = prefix.rstrip("/")
        self._hashes: dict[str, tuple[int, int, str]] = {}
        self._lock = threading.Lock()

    def url(self, name: str) -> str:
        """The fingerprinted URL of ``name``; ``LookupError`` when no such file is served."""
        full_path, stat_result = self.lookup_path(os.path.normpath(name))
        if stat_result is None:
            raise LookupError(f"no static file {name!r} under {self.prefix}")
        return f"{self.prefix}/{name}?v={self.fingerprint(full_path, stat_result)}"

    def fingerprint(self, full_path: PathLike, stat_result: os.stat_result) -> str:
        """The content hash of the file, read again only when its size or mtime changed."""
        key, seen = str(full_path), (stat_result.st_mtime_ns, stat_result.st_size)
        with self._lock:
            known = self._hashes.get(key)
        if known is not None and known[:2] == seen:
            return known[2]
        digest = hashlib.sha256(Path(full_path).read_bytes()).hexdigest()[:HASH_CHARS]
        with self._lock:
            self._hashes[key] = (*seen, digest)
        return digest

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        current = query.get("v", [""])[-1] == self.fingerprint(full_path, stat_result)
        response.headers["cache-control"] = IMMUTABLE if current else REVALIDATE
        return response


@lru_cache(maxsize=1)
def static_assets() -> Assets:
    """The files under ``/static``: ``web/static`` and htmx from its package."""
    return Assets("/static", directory=STATIC_DIR, packages=[HTMX_PACKAGE])


def asset(name: str) -> str:
    """The fingerprinted URL of a file under ``/static`` (a Jinja global)."""
    return static_assets().url(name)
