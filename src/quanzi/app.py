"""The ASGI application: the API, the pages, the share redirect and static files."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quanzi import __version__
from quanzi.api import bench_routes, checkout_routes, errors, flash_route
from quanzi.api.nul_guard import NulGuard
from quanzi.api.router import API_PREFIX, API_ROUTERS
from quanzi.campaigns.flash import batch as flash_batch
from quanzi.core import broadcast, rate_limits, rate_limits_aio
from quanzi.core.config import get_settings
from quanzi.core.db import open_pool
from quanzi.core.images import MAX_BYTES as MAX_PHOTO_BYTES
from quanzi.orders.domain import MAX_REFUND_PHOTOS
from quanzi.referral import clicks, redirect
from quanzi.web.kit import pages
from quanzi.web.kit.assets import Assets, static_assets
from quanzi.web.kit.compression import Compression
from quanzi.web.kit.thumbs import Thumbnails
from quanzi.web.routes import router as web_router
from quanzi.wiring import wire

MAX_BODY_BYTES = 1_000_000
# the routes that take photos, and how much each may be sent (photos of up to 5 MB, with
# room for the form around them): a refund request's photo in the API, the refund form
UPLOADS = ((re.compile(r"/api/v1/orders/\d+/refund-photos"), MAX_PHOTO_BYTES + 65_536),
           (re.compile(r"/orders/\d+/refunds"), MAX_REFUND_PHOTOS * MAX_PHOTO_BYTES + 65_536))
_SWAGGER_STATIC = Path(fastapi_offline.__file__).parent / "static"


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes with a 413: at once when Content-Length
    says so, else (a chunked body) as soon as the bytes read pass the limit. A path that
    matches one of ``uploads`` (pattern, limit) may send that much instead."""

    def __init__(self, app: ASGIApp, limit: int,
                 uploads: tuple[tuple[re.Pattern[str], int], ...] = ()) -> None:
        self.app, self.default, self.uploads = app, limit, uploads

    def _limit(self, path: str) -> int:
        return next((limit for pattern, limit in self.uploads if pattern.fullmatch(path)),
                    self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                await self._refuse(limit, scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > limit:  # FastAPI and the error handlers turn it into the 413
                raise HTTPException(413, f"request body over {limit} bytes")
            return message

        await self.app(scope, counted, send)

    @staticmethod
    async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        response = errors.error_response(413, "too_large", f"request body over {limit} bytes")
        await response(scope, receive, send)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Open the database before the first request, then run the click writer and (with
    Redis) listen for other processes' news for the caches (``core.broadcast``)."""
    await anyio.to_thread.run_sync(open_pool)
    with broadcast.subscribed():
        async with clicks.lifespan(app):
            yield
    await rate_limits_aio.close()
    await flash_batch.close()


def create_app() -> FastAPI:
    """The application. Raises ``MissingSecretKey`` in production without a secret key,
    and ``core.rate_limits.ConfigError`` (naming the variable) for a rate limit that does
    not parse; ``/docs`` and ``/openapi.json`` are left out when ``settings.docs_enabled``
    is off."""
    wire()
    settings = get_settings()
    rate_limits.validate()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.resolved_secret_key()
    app = FastAPI(title="quanzi API", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if settings.docs_enabled else None,
                  lifespan=lifespan,
                  description="圈子 social commerce: catalog, orders, escrow payments, ledger, "
                              "shares and commissions. Amounts are integer fen.")
    errors.install(app)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(web_router)
    # the hot paths are plain Starlette routes, ahead of FastAPI's: the share redirect, the
    # flash-sale buy and the three requests of a sale (their FastAPI twins in
    # api/campaign_buys.py, api/orders.py and api/payments.py document them in OpenAPI)
    hot = [*redirect.routes(), *flash_route.routes(), *checkout_routes.routes()]
    if settings.bench:
        hot[0:0] = bench_routes.routes()
    app.router.routes[0:0] = hot
    if settings.docs_enabled:
        _add_docs(app)
    app.mount("/static", static_assets(), name="static")
    media = settings.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    app.mount("/media/thumbs", Thumbnails(settings.data_dir), name="thumbs")
    app.mount("/media", StaticFiles(directory=media), name="media")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    app.add_middleware(NulGuard, page=pages.refuse_nul)
    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES, uploads=UPLOADS)
    app.add_middleware(Compression, skip=hot)  # outermost: the hot routes skip it
    return app


def _add_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs``, its assets served from the installed package (offline)
    under fingerprinted URLs."""
    assets = Assets("/static/docs", directory=_SWAGGER_STATIC)
    app.mount("/static/docs", assets, name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="quanzi API",
                                   swagger_js_url=assets.url("swagger-ui-bundle.js"),
                                   swagger_css_url=assets.url("swagger-ui.css"),
                                   swagger_favicon_url=assets.url("favicon.png"))
