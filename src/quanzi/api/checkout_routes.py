"""The three requests of a sale as bare ASGI routes.

``POST /api/v1/orders``, ``POST /api/v1/orders/{order_id}/pay`` and, in development,
``POST /api/v1/payments/sandbox/{payment_id}/complete``. FastAPI's machinery around one
of them (dependencies, the body's content type parsed with ``email.message``, the
answer validated again before it is sent) cost about as much CPU as the work itself;
these routes do only the parsing. Their FastAPI twins in ``api/orders.py`` and
``api/payments.py`` describe them in OpenAPI, and they answer as the twins would, in
FastAPI's order (``tests/api/test_checkout_routes.py`` compares the two):

1. a body whose content type says JSON is decoded (422 ``json_invalid`` at the error's
   position; 400 when it is not even text);
2. the bearer token (401);
3. the Idempotency-Key (422 when missing or blank; too long joins the errors below);
4. the path's id and the body are validated, and every error found so far is one 422.
"""

import json
from collections.abc import Awaitable, Callable
from email.message import Message
from functools import lru_cache, partial
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from quanzi.accounts.identity import Identity
from quanzi.api import bare, errors
from quanzi.api.payments import complete_and_read
from quanzi.core.bare_route import bare_route
from quanzi.core.errors import QuanziError
from quanzi.core.idempotency import MAX_KEY_LENGTH, check_key
from quanzi.core.ids import MAX_ID
from quanzi.orders import paying
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.payments.schemas import PayIn
from quanzi.referral import share_cookies

__all__ = ["routes"]

Model = TypeVar("Model", bound=BaseModel)
_ID = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_ID)])
_KEY = TypeAdapter(Annotated[str, Field(max_length=MAX_KEY_LENGTH)])
_NO_BODY = object()  # an empty body: the required body is missing


class _Gone(Exception):
    """The client went away before its body arrived."""


class _Unreadable(Exception):
    """A body FastAPI could not parse: 400."""


class _Invalid(Exception):
    def __init__(self, found: list[Any]) -> None:
        self.found = found


@lru_cache(maxsize=32)
def _says_json(content_type: str) -> bool:
    """What FastAPI asks of a Content-Type before it decodes a body as JSON."""
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


class _Call:
    """One request, read as FastAPI reads its twin: errors of the path, headers and body
    are gathered in ``found`` and answered together by :meth:`valid`."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.scope, self.receive = scope, receive
        self.head = bare.head(scope)
        self.found: list[Any] = []

    async def body(self) -> Any:
        raw = await bare.read_body(self.receive)
        if raw is None:
            raise _Gone
        if not raw:
            return _NO_BODY
        if not _says_json(self.head.content_type):
            return raw
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _Invalid([{"type": "json_invalid", "loc": ("body", exc.pos),
                             "msg": "JSON decode error"}]) from exc
        except ValueError as exc:  # not UTF-8 (or 16, 32) text
            raise _Unreadable from exc

    def key(self) -> str:
        try:
            if self.head.key is not None:  # absent: check_key says it is missing
                _KEY.validate_python(self.head.key)
        except ValidationError as exc:
            self.found += _at("header", "idempotency-key", exc)
            return ""
        return check_key(self.head.key)

    def path_id(self, name: str) -> int:
        try:
            return _ID.validate_python(self.scope["path_params"][name])
        except ValidationError as exc:
            self.found += _at("path", name, exc)
            return 0

    def model(self, model: type[Model], body: Any) -> Model | None:
        if body is _NO_BODY:
            self.found.append({"type": "missing", "loc": ("body",), "msg": "Field required"})
            return None
        try:
            return model.model_validate(body, from_attributes=True)
        except ValidationError as exc:
            self.found += [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
            return None

    def valid(self) -> None:
        if self.found:
            raise _Invalid(self.found)


def _at(where: str, name: str, exc: ValidationError) -> list[Any]:
    return [{**e, "loc": (where, name, *e["loc"])} for e in exc.errors()]


async def _answer(scope: Scope, receive: Receive, send: Send, status: int,
                  work: Callable[[_Call], Awaitable[BaseModel]]) -> None:
    try:
        answer = await work(_Call(scope, receive))
    except _Gone:
        return
    except QuanziError as exc:
        await errors.domain_error(exc)(scope, receive, send)
    except _Invalid as exc:
        await errors.invalid_request(exc.found, skip=1)(scope, receive, send)
    except _Unreadable:
        await errors.error_response(400, "bad_request", "There was an error parsing the body")(
            scope, receive, send)
    else:
        await bare.send_json(send, status, answer.model_dump_json(by_alias=True).encode())


async def _place(call: _Call) -> BaseModel:
    body = await call.body()
    user = await bare.signed_in(call.head.token)
    key = call.key()
    came = share_cookies.from_cookie_header(call.head.cookie)
    data = call.model(OrderCreate, body)
    call.valid()
    assert data is not None
    came = came.with_code(data.share_code)
    data = data.model_copy(update={"share_code": came.share_code})
    return await bare.run_work(partial(place_order, buyer_id=user.id, data=data,
                                       idempotency_key=key, visitor_id=came.visitor_id))


async def _pay(call: _Call) -> BaseModel:
    body = await call.body()
    user = await bare.signed_in(call.head.token)
    key = call.key()
    order_id = call.path_id("order_id")
    data = call.model(PayIn, body)
    call.valid()
    assert data is not None
    return await bare.run_work(partial(
        paying.start_payment, order_id=order_id, payer_id=user.id, actor=user,
        provider_name=data.provider, idempotency_key=key))


async def _complete(call: _Call) -> BaseModel:
    user: Identity = await bare.signed_in(call.head.token)
    payment_id = call.path_id("payment_id")
    call.valid()
    return await bare.run_work(partial(complete_and_read, payment_id, user))


async def place(scope: Scope, receive: Receive, send: Send) -> None:
    await _answer(scope, receive, send, 201, _place)


async def pay(scope: Scope, receive: Receive, send: Send) -> None:
    await _answer(scope, receive, send, 200, _pay)


async def complete_sandbox(scope: Scope, receive: Receive, send: Send) -> None:
    await _answer(scope, receive, send, 200, _complete)


def routes() -> list[Route]:
    return [bare_route("/api/v1/orders", place, ["POST"]),
            bare_route("/api/v1/orders/{order_id}/pay", pay, ["POST"]),
            bare_route("/api/v1/payments/sandbox/{payment_id}/complete", complete_sandbox,
                       ["POST"])]
