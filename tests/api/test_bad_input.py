"""Bad input is a 4xx that changes nothing, never a 500.

A NUL character in any text (PostgreSQL text cannot hold one): every operation of the
OpenAPI schema is sent its valid request from the access test with a NUL put into each
string field of its body schema in turn, each string query parameter, and each string
path parameter; the pages' forms, queries and the share redirect likewise. Ids and
integers out of range: every route with an id in its path, and a signed payment callback
naming a payment id no row can have. Each request must be a 422 (a 404 for ids) and
leave every table as it was.
"""

import copy
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from quanzi.app import create_app
from quanzi.core.db import Base, read_session
from quanzi.payments.models import CallbackLog
from quanzi.payments.providers import SandboxProvider
from tests.api.conftest import World, new_key
from tests.api.test_access import BODIES, OK, PREPARE, TABLE, _path
from tests.factories import ADDRESS, auth, make_user
from tests.web.helpers import csrf_of, form_post, sign_in

NUL_TEXT = "a\x00b"
SPEC = create_app().openapi()
# who sends each operation: the first role the access table lets through
PREFERRED = ("buyer", "operator", "staff", "promoter", "stranger", "leader", "other", "anon")
ROLE_INDEX = {"anon": 0, "buyer": 1, "stranger": 2, "promoter": 3, "leader": 4, "staff": 5,
              "other": 6, "operator": 7}


@pytest.fixture
def loose_client() -> Iterator[TestClient]:
    """A client that gets a server error as a 500 answer instead of an exception."""
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_string(schema: dict[str, Any]) -> bool:
    schema = _resolve(schema)
    options = schema.get("anyOf", [schema])
    return any(_resolve(option).get("type") == "string" for option in options)


def string_fields(schema: dict[str, Any], at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path (keys, 0 for an array's item) of every string a body of ``schema`` may hold."""
    schema = _resolve(schema)
    found: list[tuple[Any, ...]] = []
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        found += string_fields(option, at)
    if schema.get("type") == "string" and at:
        found.append(at)
    for name, sub in schema.get("properties", {}).items():
        found += string_fields(sub, (*at, name))
    if schema.get("type") == "array":
        found += string_fields(schema.get("items", {}), (*at, 0))
    return list(dict.fromkeys(found))


def with_text(body: Any, where: tuple[Any, ...], value: str) -> Any:
    """A copy of ``body`` with ``value`` at ``where`` (missing objects and items made)."""
    body = copy.deepcopy(body) if body is not None else {}
    node = body
    for step, following in pairwise(where):
        kind = list if isinstance(following, int) else dict
        if isinstance(step, int):
            if not node or not isinstance(node[0], kind):
                node[:1] = [kind()]
            node = node[0]
        else:
            if not isinstance(node.get(step), kind):
                node[step] = kind()
            node = node[step]
    if isinstance(where[-1], int):
        node[:1] = [value]
    else:
        node[where[-1]] = value
    return body


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with read_session() as session:
        return {table.name: sorted(tuple(map(repr, row)) for row in
                                   session.execute(select(table)).all())
                for table in Base.metadata.sorted_tables}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in SPEC["paths"].items()
            if path.startswith("/api/v1/")
            for method, op in item.items() if method in {"get", "post", "put", "patch", "delete"}]


def _role(op: str) -> str:
    return next(role for role in PREFERRED if TABLE[op][ROLE_INDEX[role]] == OK)


def _nul_requests(op: str, spec: dict[str, Any], world: World) -> list[tuple[str, str, Any]]:
    """(what, url, json body) with a NUL in one text of the request each."""
    url, body = _path(op, world), BODIES[op](world) if op in BODIES else None
    sent = []
    media = spec.get("requestBody", {}).get("content", {}).get("application/json")
    for where in string_fields(media["schema"]) if media else []:
        sent.append((f"body {where}", url, with_text(body, where, NUL_TEXT)))
    for param in spec.get("parameters", []):
        if not _is_string(param["schema"]):
            continue
        if param["in"] == "query":
            sent.append((f"query {param['name']}", f"{url}?{param['name']}=a%00b", body))
        elif param["in"] == "path":
            template = "/api/v1" + op.split(" ", 1)[1]
            nul_url = template.replace("{" + param["name"] + "}", "a%00b")
            sent.append((f"path {param['name']}", re.sub(r"\{(\w+)\}", lambda m: str(
                getattr(world, m.group(1))), nul_url), body))
    return sent


def _has_text(spec: dict[str, Any]) -> bool:
    media = spec.get("requestBody", {}).get("content", {}).get("application/json")
    return bool(media and string_fields(media["schema"])) or any(
        _is_string(p["schema"]) for p in spec.get("parameters", []) if p["in"] != "header")


NUL_OPERATIONS = [f"{method} {path.removeprefix('/api/v1')}" for method, path, spec
                  in _operations() if _has_text(spec)]


def test_the_walk_reaches_the_texts_of_the_issue():
    """Register name, login, the category filter, shop name, invite code, address
    fields, product title and refund reason are among the texts sent a NUL."""
    ops = {f"{m} {p.removeprefix('/api/v1')}": s for m, p, s in _operations()}

    def fields(op: str) -> list[tuple[Any, ...]]:
        return string_fields(ops[op]["requestBody"]["content"]["application/json"]["schema"])

    assert ("name",) in fields("POST /auth/register")
    assert ("login",) in fields("POST /auth/login")
    assert ("name",) in fields("PUT /me/shop")
    assert ("invite_code",) in fields("POST /promoters/apply")
    assert ("address", "detail") in fields("POST /orders")
    assert ("title",) in fields("POST /products")
    assert ("reason",) in fields("POST /orders/{order_id}/refunds")
    assert any(p["name"] == "category" and _is_string(p["schema"])
               for p in ops["GET /products"]["parameters"])
    assert len(NUL_OPERATIONS) > 30


@pytest.mark.parametrize("op", NUL_OPERATIONS)
def test_a_nul_in_any_text_is_a_422_that_changes_nothing(loose_client, op):
    world = World()
    for name in PREPARE.get(op, ()):
        getattr(world, name)
    spec = next(s for m, p, s in _operations() if f"{m} {p.removeprefix('/api/v1')}" == op)
    requests = _nul_requests(op, spec, world)
    headers = dict(world.headers[_role(op)])
    before = snapshot()
    answers = {}
    for what, url, body in requests:
        response = loose_client.request(op.split(" ")[0], url, json=body,
                                        headers={**headers, "Idempotency-Key": new_key()})
        answers[what] = (response.status_code, response.json()["error"]["code"]
                         if response.status_code >= 400 else response.text[:80])
    assert requests
    assert {what: answer for what, answer in answers.items()
            if answer != (422, "validation_error")} == {}
    assert snapshot() == before


def test_a_nul_in_a_page_form_query_or_share_link_is_refused(loose_client):
    user = make_user()
    before = snapshot()
    token = csrf_of(loose_client.get("/register").text)
    for action, data in [("/register", {"login": "nul@example.cn", "name": NUL_TEXT,
                                        "password": "correct-horse-9"}),
                         ("/login", {"login": f"{user.email}\x00", "password": "x"})]:
        response = loose_client.post(action, data={**data, "csrf_token": token},
                                     follow_redirects=False)
        assert response.status_code == 422, (action, response.text[:200])
    for url in ("/?category=a%00b", "/?q=%00", "/s/ab%00c", "/shop/ab%00c"):
        response = loose_client.get(url, follow_redirects=False)
        assert response.status_code == 422, (url, response.text[:200])
        assert "提交的内容里有无效的字符" in response.text  # the pages' error page
    loose_client.cookies.set("qz_share", '"\\000abc"')
    assert loose_client.get("/").status_code == 422
    assert snapshot() == before


def test_a_nul_in_a_signed_in_page_form_changes_nothing(loose_client):
    user = make_user()
    sign_in(loose_client, user.email)
    before = snapshot()
    response = form_post(loose_client, "/me/addresses", "/me/addresses",
                         {**ADDRESS, "detail": "世纪大道\x00 100 号"})
    assert response.status_code == 422
    assert "提交的内容里有无效的字符" in response.text
    assert snapshot() == before


def test_a_nul_escaped_twice_in_json_is_plain_text(client):
    """``\\\\u0000`` in JSON is a backslash and the letters u0000, not a NUL: accepted."""
    headers = auth(make_user())
    response = client.post("/api/v1/me/addresses",
                           headers={**headers, "content-type": "application/json"},
                           content=('{"name": "张三", "phone": "13800138000", "region": "上海", '
                                    '"detail": "a\\\\u0000b"}').encode())
    assert response.status_code == 201, response.text
    assert response.json()["detail"] == "a\\u0000b"


# --- ids and integers out of range --------------------------------------------------------

BAD_IDS = (2**63, -1, 10**30)


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, in included routers too."""
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's included router
            yield from _routes(route.original_router.routes,
                               prefix + route.include_context.prefix)
        elif hasattr(route, "path"):
            for method in sorted(getattr(route, "methods", None) or {"GET"}):
                if method != "HEAD":
                    yield method, prefix + route.path


def _id_routes(app: Any) -> list[tuple[str, str]]:
    return sorted({(method, path) for method, path in _routes(app.routes)
                   if re.search(r"\{\w*id\}", path)})


def test_ids_out_of_range_are_404_or_422_on_every_route(loose_client):
    """As an operator (bearer token for the API, the session and CSRF token for pages)."""
    operator = make_user("operator")
    headers = auth(operator)
    sign_in(loose_client, operator.email)
    csrf = csrf_of(loose_client.get("/").text)
    routes = _id_routes(loose_client.app)
    assert len(routes) > 60  # the API and the pages
    before = snapshot()
    wrong = {}
    for method, path in routes:
        api = path.startswith("/api/")
        for bad in BAD_IDS:
            url = re.sub(r"\{\w*id\}", str(bad), path)
            url = re.sub(r"\{\w+\}", "approve", url)
            sent = {"json": {}} if api else {"data": {"csrf_token": csrf}}
            response = loose_client.request(method, url, **sent, follow_redirects=False,
                                            headers={**headers, "Idempotency-Key": new_key()}
                                            if api else {})
            if response.status_code not in (403, 404, 422):  # 403: a role the route needs
                wrong[f"{method} {url}"] = response.status_code
    assert wrong == {}
    assert snapshot() == before


@pytest.mark.parametrize("payment_id", [2**63, 2**31, 0, -1, 10**30])
def test_a_signed_callback_naming_an_impossible_payment_is_refused(loose_client, payment_id):
    signed, body = SandboxProvider().signed_callback(payment_id=payment_id, amount_fen=100)
    response = loose_client.post("/api/v1/payments/sandbox/callback", content=body,
                                 headers=signed)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_body"
    with read_session() as session:
        assert session.scalars(select(CallbackLog.outcome)).all() == ["bad_body"]


def test_every_integer_a_request_sends_is_bounded():
    """Path, query and body integers of every operation have a minimum and a maximum."""
    unbounded = []

    def walk(schema: dict[str, Any], where: str) -> None:
        schema = _resolve(schema)
        for option in schema.get("anyOf", []) + schema.get("allOf", []):
            walk(option, where)
        if schema.get("type") == "integer" and not {"minimum", "maximum"} <= set(schema):
            unbounded.append(where)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{name}")
        if schema.get("type") == "array":
            walk(schema.get("items", {}), f"{where}[]")

    for method, path, spec in _operations():
        for param in spec.get("parameters", []):
            walk(param["schema"], f"{method} {path} {param['name']}")
        media = spec.get("requestBody", {}).get("content", {}).get("application/json")
        if media:
            walk(media["schema"], f"{method} {path} body")
    assert unbounded == []
