"""Who is calling: one type for the API, the pages, the bare hot routes and the domains.

An :class:`Identity` is the signed-in user as every layer needs to know them, detached
from any session: the user id, the roles, the supplier the user works for (supplier
staff) and the display name. ``accounts.services.signed_in_users`` resolves bearer
tokens to identities; :func:`bearer_token` reads the token out of an ``Authorization``
header, and :func:`no_token` / :func:`unknown_token` are the two 401 refusals every
transport answers with. Orders calls the same type its actor (``orders.access``).

Example::

    >>> user = Identity(7, ("consumer",), name="小王")
    >>> user.has("operator", "consumer"), user.is_operator
    (True, False)
    >>> bearer_token("Bearer abc "), bearer_token("Basic abc")
    ('abc', None)
"""

from dataclasses import dataclass

from quanzi.core.errors import Unauthenticated

__all__ = ["Identity", "bearer_token", "no_token", "unknown_token"]


@dataclass(frozen=True)
class Identity:
    """The signed-in user (or a system actor such as an operator id 0 in a sweep)."""

    id: int
    roles: tuple[str, ...] = ()
    supplier_id: int | None = None
    name: str = ""

    def has(self, *roles: str) -> bool:
        """Whether the user holds any of ``roles``."""
        return any(role in self.roles for role in roles)

    @property
    def is_operator(self) -> bool:
        return "operator" in self.roles


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value, else None."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def no_token() -> Unauthenticated:
    """The 401 for a request that carries no bearer token."""
    return Unauthenticated("sign in first: send Authorization: Bearer <token>")


def unknown_token() -> Unauthenticated:
    """The 401 for a token that is unknown, expired or revoked."""
    return Unauthenticated("the token is unknown, expired or revoked", code="invalid_token")
