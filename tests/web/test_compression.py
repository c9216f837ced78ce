"""The compression middleware on small apps of its own: streamed bodies, the skipped hot
routes, tiny bodies."""

import gzip
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from quanzi.web.kit.compression import Compression

BIG = "圈子好物 " * 400


def _big(request: Request) -> Response:
    return PlainTextResponse(BIG)


def _tiny(request: Request) -> Response:
    return PlainTextResponse("ok")


def _stream(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for n in range(5):
            yield f"chunk {n} {BIG}\n".encode()

    return StreamingResponse(chunks(), media_type="text/plain")


HOT = Route("/s/{code}", _big)


def _client() -> TestClient:
    app = Starlette(routes=[HOT, Route("/big", _big), Route("/tiny", _tiny),
                            Route("/stream", _stream)])
    app.add_middleware(Compression, skip=[HOT])
    return TestClient(app)


def test_a_streamed_body_is_compressed_chunk_by_chunk_and_arrives_whole():
    with _client().stream("GET", "/stream", headers={"Accept-Encoding": "gzip"}) as answer:
        raw = b"".join(answer.iter_raw())
    assert answer.headers["content-encoding"] == "gzip" and "content-length" not in answer.headers
    expected = "".join(f"chunk {n} {BIG}\n" for n in range(5)).encode()
    assert gzip.decompress(raw) == expected and len(raw) < len(expected) / 10


def test_a_hot_route_is_never_compressed_nor_wrapped():
    hot = _client().get("/s/abc", headers={"Accept-Encoding": "gzip"})
    assert hot.text == BIG and "content-encoding" not in hot.headers and "vary" not in hot.headers
    other = _client().get("/big", headers={"Accept-Encoding": "gzip"})
    assert other.headers["content-encoding"] == "gzip" and other.text == BIG


def test_tiny_bodies_and_clients_that_do_not_ask_get_plain_answers():
    client = _client()
    tiny = client.get("/tiny", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/big", headers={"Accept-Encoding": "identity"})
    assert tiny.text == "ok" and "content-encoding" not in tiny.headers
    assert plain.text == BIG and "content-encoding" not in plain.headers
