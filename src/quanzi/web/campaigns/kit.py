"""What the campaign pages share: ids from the path, the buy form (quantity, address,
idempotency key), the payment that follows a buy, refusals as messages, countdowns,
members' avatars and the share sheet."""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from quanzi.accounts import services as accounts
from quanzi.accounts.identity import Identity
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput, NotFound, QuanziError
from quanzi.orders import paying
from quanzi.orders.domain import PENDING
from quanzi.orders.schemas import AddressIn, OrderOut
from quanzi.referral import picker, shares
from quanzi.referral.domain import is_wechat
from quanzi.referral.share_cookies import Origin, from_cookie_header
from quanzi.web.kit import address_form, i18n, refusals
from quanzi.web.kit.pages import number, redirect, render, text
from quanzi.web.kit.templating import absolute_url

MAX_ID = 2_147_483_647
# the page of each ``Order.campaign_ref`` prefix ("group:12" → /groups/12)
REF_PAGES = {"group": "groups", "flash": "flash", "bargain": "bargain-runs",
             "tiered": "tiered", "presale": "presales"}


def ident(raw: str) -> int:
    """A campaign id from the path; 404 (the error page) for anything else."""
    if raw.isascii() and raw.isdecimal() and len(raw) <= 10 and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    raise NotFound("活动不存在或已结束。")


@contextmanager
def lookup() -> Iterator[Session]:
    """A read session in which an unknown campaign becomes the pages' 404 message."""
    try:
        with read_session() as session:
            yield session
    except NotFound as exc:
        raise NotFound("活动不存在或已结束。") from exc


def campaign_url(ref: str | None) -> str | None:
    """The campaign page of an order's ``campaign_ref``, or None."""
    head, _, ident_ = (ref or "").partition(":")
    return f"/{REF_PAGES[head]}/{ident_}" if head in REF_PAGES and ident_.isdigit() else None


def message_of(exc: QuanziError, lang: str = i18n.DEFAULT) -> str:
    """What a page says of a refused action, in ``lang`` (see :func:`refusals.say`)."""
    return refusals.say(exc, lang)


def seconds_until(at: datetime | None, now: datetime) -> int:
    return max(0, int((at - now).total_seconds())) if at is not None else 0


@dataclass(frozen=True)
class BuyForm:
    quantity: int
    address: dict[str, Any]
    key: str
    typed: dict[str, str] | None = None  # a new address, for the book once the buy is made


def buy_form(form: FormData, user_id: int) -> BuyForm:
    """The buy form: a saved address (``address_id``) or a new one; ValidationError when
    the new one is incomplete, 404 when the saved one is not the user's."""
    address_id = number(form, "address_id")
    if address_id:
        with read_session() as session:
            try:
                address = accounts.address_snapshot(session, user_id, address_id)
            except NotFound as exc:
                raise InvalidInput("请选择有效的收货地址") from exc
        typed = None
    else:
        typed = address_form.typed(form)
        address = AddressIn.model_validate(address_form.for_order(typed)).model_dump()
    quantity = min(max(number(form, "quantity", 1), 1), 99)
    return BuyForm(quantity, address, text(form, "key", 64) or secrets.token_urlsafe(16), typed)


def origin(request: Request) -> Origin:
    """Where the buyer came from, by the share cookies (``referral.share_cookies``): the
    attribution every buy button hands to its service, as the API does."""
    return from_cookie_header(request.headers.get("cookie", ""))


def in_wechat(request: Request) -> bool:
    """The page was opened inside WeChat (``referral.domain.is_wechat``)."""
    return is_wechat(request.headers.get("user-agent", ""))


def pay_for(request: Request, order: OrderOut, user: Identity,
            buy: BuyForm | None = None) -> Response:
    """Open the sandbox payment of a just-created order and go to its page (straight to
    the order when nothing is due: a 0-fen order is paid when it is placed); a new
    address the buy took goes into the buyer's book."""
    if buy is not None and buy.typed is not None:
        address_form.remember(user.id, buy.typed)
    if order.status != PENDING:
        return redirect(request, f"/orders/{order.id}")
    intent = paying.start_payment(order_id=order.id, payer_id=user.id,
                                  provider_name="sandbox",
                                  idempotency_key=f"web-pay-{order.id}")
    return redirect(request, intent.pay_url or f"/orders/{order.id}")


def attempt(request: Request, action: Callable[[], Response],
            page: Callable[[str, int], Response]) -> Response:
    """Run a buy or help; a refusal or bad input re-renders the page with its message."""
    lang = i18n.negotiate(request)
    try:
        return action()
    except ValidationError as exc:
        return page(refusals.invalid(exc, lang), 422)
    except QuanziError as exc:
        if exc.status == 401:
            raise
        response = page(message_of(exc, lang), exc.status)
        if exc.retry_after is not None:  # rate limited: when to try again
            response.headers["Retry-After"] = str(exc.retry_after)
        return response


def buyer_context(user: Identity | None) -> dict[str, Any]:
    """The buy form's saved addresses and a fresh idempotency key."""
    addresses = []
    if user is not None:
        with read_session() as session:
            addresses = accounts.list_addresses(session, user.id)
    return {"addresses": addresses, "key": secrets.token_urlsafe(16)}


@dataclass(frozen=True)
class Avatar:
    """A generated avatar: the name's first letter on a colour picked by the user id."""

    initial: str
    hue: int
    name: str


def avatars(session: Session, user_ids: list[int]) -> dict[int, Avatar]:
    names = accounts.user_names(session, user_ids)
    return {user_id: Avatar((name[:1] or "?").upper(), user_id * 137 % 360, name)
            for user_id, name in names.items()}


def share_context(page: str) -> dict[str, Any]:
    """The share sheet of ``page``: its plain link, and where promoters get their share."""
    return {"page_link": absolute_url(page), "share_action": f"{page}/share"}


def paid_order(request: Request) -> int | None:
    """``?paid=<order id>``: the buyer has just paid that order and landed here to invite
    friends (see ``web.shop.products``); None when absent or not an id."""
    try:
        return ident(request.query_params.get("paid", ""))
    except NotFound:
        return None


def promoter_share(request: Request, user: Identity, kind: str, target_id: int) -> Response:
    """htmx: the promoter's share of a campaign (link, token, poster), as on product pages."""
    share = shares.create_share(promoter_user_id=user.id, campaign_kind=kind,
                                campaign_id=target_id)
    with read_session() as session:
        earn = picker.earn_per_campaign_item(session, kind, target_id)
    return render(request, "catalog/partials/share_sheet.html",
                  {"share": share, "link": absolute_url(share.url), "earn_fen": earn})
