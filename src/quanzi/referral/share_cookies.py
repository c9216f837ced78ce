"""Where a buyer came from, read back when an order is made: the one reader of the share
cookies.

``GET /s/{code}`` and ``/paste`` set ``qz_share`` (the share code, for the attribution
window) and ``qz_vid`` (the visitor). Every way an order is made — ``POST /orders``, the
campaign buys and joins over the API (the flash sale's bare route too) and the pages' buy
buttons — reads them with :func:`from_cookie_header`, lets a share code sent in the
request win (:meth:`Origin.with_code`) and hands both to ``orders.placing.create_order``,
whose attribution is ``referral.attribution.attribute_order`` (where, under the binding
policy, a live binding 锁粉 decides before either).

Values that cannot be a share code or a visitor id are dropped, never stored::

    >>> from_cookie_header("qz_vid=AbCdEf123456; qz_share=K7dQ2mXa9Z")
    Origin(share_code='K7dQ2mXa9Z', visitor_id='AbCdEf123456')
    >>> from_cookie_header("qz_share=../../etc").with_code("K7dQ2mXa9Z").share_code
    'K7dQ2mXa9Z'
"""

import re
from dataclasses import dataclass, replace

from starlette.requests import cookie_parser

from quanzi.referral.codes import looks_like_code
from quanzi.referral.redirect import SHARE_COOKIE, VISITOR_COOKIE

__all__ = ["Origin", "from_cookie_header"]

_VISITOR_ID = re.compile(r"[0-9A-Za-z_-]{8,32}")  # as the redirect hands them out


@dataclass(frozen=True)
class Origin:
    """The share code to credit (None: none known) and the visitor who clicked it."""

    share_code: str | None = None
    visitor_id: str | None = None

    def with_code(self, share_code: str | None) -> "Origin":
        """This origin with the request's own ``share_code`` in place of the cookie's,
        when the request gave one."""
        return replace(self, share_code=share_code) if share_code else self


def from_cookie_header(header: str) -> Origin:
    """The share code and visitor id in a raw ``Cookie`` header (either may be None)."""
    if SHARE_COOKIE not in header and VISITOR_COOKIE not in header:
        return Origin()
    cookies = cookie_parser(header)
    code = cookies.get(SHARE_COOKIE, "")
    visitor = cookies.get(VISITOR_COOKIE, "")
    return Origin(share_code=code if looks_like_code(code) else None,
                  visitor_id=visitor if _VISITOR_ID.fullmatch(visitor) else None)
