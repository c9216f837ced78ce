"""The API docs work with no internet: every asset /docs needs is served by the app."""

import re


def test_docs_page_loads_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    urls += re.findall(r"url: ?'([^']+)'", page.text)
    assert urls, "the docs page names its assets"
    for url in urls:
        assert not url.startswith(("http://", "https://", "//")), url
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"):
        assert asset in page.text
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 10_000


def test_openapi_and_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    schema = client.get("/openapi.json").json()
    assert "/api/v1/orders" in schema["paths"]


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_oversized_body_is_413_before_parsing(client):
    response = client.post("/api/v1/auth/register", content=b"x" * 1_000_001,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_wrong_types_are_422_with_the_field_named(client):
    response = client.post("/api/v1/auth/login", json={"login": 5, "password": []})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error" and "login" in body["message"]


def test_chunked_bodies_are_capped_too(client):
    """No Content-Length (a chunked upload): refused once the bytes read pass 1 MB; a
    small chunked body still goes through."""
    def chunks(*parts: bytes):  # type: ignore[no-untyped-def]
        yield from parts

    big = client.post("/api/v1/auth/register", content=chunks(*[b"x" * 100_000] * 11),
                      headers={"content-type": "application/json"})
    small = client.post("/api/v1/auth/login",
                        content=chunks(b'{"login": "nobody@example.cn", ', b'"password": "x"}'),
                        headers={"content-type": "application/json"})
    assert "content-length" not in big.request.headers
    assert (big.status_code, big.json()["error"]["code"]) == (413, "too_large")
    assert small.status_code == 401
