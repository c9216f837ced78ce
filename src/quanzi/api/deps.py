"""Dependencies shared by every API router, as ``Annotated`` aliases."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from quanzi.accounts import identity, sign_ins
from quanzi.accounts.identity import Identity
from quanzi.core.db import read_session
from quanzi.core.errors import Forbidden, QuanziError
from quanzi.core.idempotency import check_key
from quanzi.core.ids import MAX_ID
from quanzi.referral.share_cookies import Origin, from_cookie_header


def get_session() -> Iterator[Session]:
    with read_session() as session:
        yield session


ReadSession = Annotated[Session, Depends(get_session)]


def bearer_token(request: Request) -> str | None:
    return identity.bearer_token(request.headers.get("authorization", ""))


class BodyTooLarge(QuanziError):
    status = 413
    code = "too_large"


async def capped_body(request: Request, limit: int) -> bytes:
    """The request body, refused with :class:`BodyTooLarge` (413) once it is known to be
    over ``limit`` bytes: at once when Content-Length says so, else as soon as the bytes
    read pass it, never reading it whole."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise BodyTooLarge(f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def optional_user(request: Request) -> Identity | None:
    """The bearer token's user, from the sign-in cache (``accounts.sign_ins``: a sign-out is
    honoured at once, in every process with Redis) or one coalesced lookup; no thread hop
    when it is cached."""
    token = bearer_token(request)
    return await sign_ins.identity_async(token) if token else None


async def current_user(request: Request) -> Identity:
    token = bearer_token(request)
    if token is None:
        raise identity.no_token()
    user = await sign_ins.identity_async(token)
    if user is None:
        raise identity.unknown_token()
    return user


OptionalUser = Annotated[Identity | None, Depends(optional_user)]
CurrentUser = Annotated[Identity, Depends(current_user)]


def require(*roles: str):  # type: ignore[no-untyped-def]
    """A dependency that lets through users holding any of ``roles`` (else 403)."""

    def _check(user: CurrentUser) -> Identity:
        if not user.has(*roles):
            raise Forbidden(f"this needs the role {' or '.join(roles)}")
        return user

    return _check


Operator = Annotated[Identity, Depends(require("operator"))]
SupplierOrOperator = Annotated[Identity, Depends(require("supplier", "operator"))]


# Dependencies that only read the request are ``async def``: FastAPI runs a plain ``def``
# one in the thread pool, a hop there and back for a few microseconds of parsing.

async def idempotency_key(
        idempotency_key: Annotated[str | None, Header(max_length=128)] = None) -> str:
    return check_key(idempotency_key)


IdempotencyKey = Annotated[str, Depends(idempotency_key)]


async def share_cookies(request: Request) -> Origin:
    """Where the caller came from, by the share cookies (``referral.share_cookies``)."""
    return from_cookie_header(request.headers.get("cookie", ""))


ShareCookies = Annotated[Origin, Depends(share_cookies)]

# Ids in paths: positive and within what every backend's integer holds.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

