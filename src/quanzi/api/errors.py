"""Every error leaves as ``{"error": {"code", "message"}}`` with the right status; a
domain error that knows more for the client adds its fields beside them
(``QuanziError.fields``: a 409 ``cut_off`` carries ``next_batch_id``)."""

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from quanzi.core.errors import Field, QuanziError


class ErrorBody(BaseModel):
    """``code`` and ``message`` always; ``details`` for a request that did not validate;
    any further field is one the error's code documents (``next_batch_id``)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in [
        (400, "Bad request"), (401, "Not signed in"), (403, "Not allowed for this role"),
        (404, "Not found"), (409, "Conflicts with the current state"),
        (413, "Request body too large"), (422, "Invalid input"),
    ]
}

# what the rate-limited operations add (login, register, helps, flash buys, callbacks)
LIMITED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorOut, "description": "Too many attempts: wait Retry-After seconds"},
    503: {"model": ErrorOut, "description": "Busy: retry after Retry-After seconds"},
}

_STATUS_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden",
                 404: "not_found", 405: "method_not_allowed", 409: "conflict",
                 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
                 429: "rate_limited"}


def error_response(status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None,
                   fields: Mapping[str, Field] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    for name, value in (fields or {}).items():
        body.setdefault(name, value)
    if details is not None:
        body["details"] = details
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer", **(headers or {})}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _clean(errors: list[Any]) -> list[dict[str, Any]]:
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in errors]


def domain_error(exc: QuanziError) -> JSONResponse:
    """The answer to a domain error: its status, code, message and fields (and
    Retry-After)."""
    headers = None if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
    return error_response(exc.status, exc.code, exc.message, headers=headers,
                          fields=exc.fields())


def invalid_request(errors: Sequence[Any], *, skip: int = 0) -> JSONResponse:
    """The 422 ``validation_error`` for pydantic's ``errors``: the first one in the message
    (its location without its first ``skip`` parts, e.g. FastAPI's "body"), all in details."""
    details = _clean(list(errors))
    if not details:
        return error_response(422, "validation_error", "invalid request", details)
    loc: list[str] = details[0]["loc"]
    msg = str(details[0]["msg"])
    where = ".".join(loc[skip:] or loc)
    return error_response(422, "validation_error", f"{where}: {msg}" if where else msg, details)


def install(app: FastAPI) -> None:
    @app.exception_handler(QuanziError)
    async def _domain(_: Request, exc: QuanziError) -> JSONResponse:
        return domain_error(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return invalid_request(exc.errors(), skip=1)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message,
                              headers=getattr(exc, "headers", None))
