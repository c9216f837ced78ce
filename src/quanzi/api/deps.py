"""Dependencies shared by every API router, as ``Annotated`` aliases."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from quanzi.accounts.services import signed_in_user
from quanzi.core.db import read_session
from quanzi.core.errors import Forbidden, QuanziError, Unauthenticated
from quanzi.core.idempotency import check_key
from quanzi.core.ids import MAX_ID
from quanzi.orders.access import Actor
from quanzi.referral.share_cookies import Origin, from_cookie_header


@dataclass(frozen=True)
class Principal:
    """The signed-in user, detached from any session."""

    id: int
    name: str
    roles: tuple[str, ...]
    supplier_id: int | None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_operator(self) -> bool:
        return "operator" in self.roles


def get_session() -> Iterator[Session]:
    with read_session() as session:
        yield session


ReadSession = Annotated[Session, Depends(get_session)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def principal_for(token: str | None) -> Principal | None:
    if not token:
        return None
    found = signed_in_user(token)
    if found is None:
        return None
    user_id, name, roles, supplier_id = found
    return Principal(id=user_id, name=name, roles=tuple(roles), supplier_id=supplier_id)


def client_ip(request: Request) -> str:
    """The address the request came from (the proxy's own, unless the server trusts its
    forwarded headers: ``uvicorn --forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


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


def optional_user(request: Request) -> Principal | None:
    return principal_for(bearer_token(request))


def current_user(request: Request) -> Principal:
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated("sign in first: send Authorization: Bearer <token>")
    user = principal_for(token)
    if user is None:
        raise Unauthenticated("the token is unknown, expired or revoked", code="invalid_token")
    return user


OptionalUser = Annotated[Principal | None, Depends(optional_user)]
CurrentUser = Annotated[Principal, Depends(current_user)]


def require(*roles: str):  # type: ignore[no-untyped-def]
    """A dependency that lets through users holding any of ``roles`` (else 403)."""

    def _check(user: CurrentUser) -> Principal:
        if not user.has(*roles):
            raise Forbidden(f"this needs the role {' or '.join(roles)}")
        return user

    return _check


Operator = Annotated[Principal, Depends(require("operator"))]
SupplierOrOperator = Annotated[Principal, Depends(require("supplier", "operator"))]


def idempotency_key(idempotency_key: Annotated[str | None, Header(max_length=128)] = None) -> str:
    return check_key(idempotency_key)


IdempotencyKey = Annotated[str, Depends(idempotency_key)]


def share_cookies(request: Request) -> Origin:
    """Where the caller came from, by the share cookies (``referral.share_cookies``)."""
    return from_cookie_header(request.headers.get("cookie", ""))


ShareCookies = Annotated[Origin, Depends(share_cookies)]

# Ids in paths: positive and within what every backend's integer holds.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def actor_of(user: Principal) -> Actor:
    """The caller as the orders domain sees them."""
    return Actor(user_id=user.id, roles=user.roles, supplier_id=user.supplier_id)
