"""The campaigns section of the operator and supplier consoles: the list with status and
a form for each kind, calling the campaigns' own ``create_*`` services.

Operators see and use every SKU; supplier staff only their supplier's (the list is
narrowed here, the service refuses anything else with 403, shown in the form). A refused
form is shown again with the service's reason and what was typed; nothing is created.
"""

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from quanzi.accounts.identity import Identity
from quanzi.campaigns import listing, services
from quanzi.catalog import queries as catalog
from quanzi.catalog.queries import ProductFilter
from quanzi.catalog.schemas import ProductOut
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import NotFound, QuanziError
from quanzi.web.campaigns import forms as campaign_forms
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import redirect, render

LIST_LIMIT = 100
PRODUCT_LIMIT = 100
CREATE: dict[str, Callable[..., Any]] = {
    "flash_sale": services.create_flash_sale, "group_buy": services.create_group_buy,
    "bargain": services.create_bargain, "tiered": services.create_tiered_deal,
    "presale": services.create_presale}


def supplier_scope(user: Identity) -> int | None:
    """Whose campaigns and SKUs ``user`` works with: None (all) for operators."""
    if user.is_operator:
        return None
    return user.supplier_id or 0  # staff without a supplier see nothing


def show(request: Request, user: Identity, *, path: str, kind: str = "", status: str = "",
         values: dict[str, str] | None = None, error: tuple[str, str, str] | None = None,
         status_code: int = 200) -> Response:
    """The console page at ``path``; ``error`` is ``(kind, message, field)`` of a refused
    form, ``field`` the form's field the message goes under ("" above the form)."""
    kind = kind if kind in listing.KINDS else ""
    status = status if status in listing.STATUSES else ""
    scope = supplier_scope(user)
    filters = listing.CampaignFilter(kind=kind or None, status=status or None,
                                     supplier_id=scope)
    with read_session() as session:
        items = listing.list_campaigns(session, filters, now=clock.now(), limit=LIST_LIMIT)
        products = _products(session, user, scope)
    return render(request, "console/campaigns.html", {
        "console": path, "items": items, "products": products, "kind": kind,
        "status": status, "kinds": listing.KINDS, "statuses": listing.STATUSES,
        "defaults": campaign_forms.defaults(clock.now()), "values": values or {},
        "error": error, "created": request.query_params.get("created", "")[:40],
        "tier_rows": range(1, campaign_forms.TIER_ROWS + 1)}, status_code=status_code)


def create(request: Request, user: Identity, *, path: str, kind: str,
           form: FormData) -> Response:
    """Create a campaign of ``kind`` from the form; 303 back to the list, or the refusal."""
    if kind not in CREATE:
        raise NotFound("没有这种活动。")
    values = campaign_forms.values_of(form)
    lang = i18n.negotiate(request)
    try:
        made = CREATE[kind](by=user, data=campaign_forms.parse(kind, values))
    except ValidationError as exc:
        message = campaign_forms.problem(exc, i18n.gettext_for(lang))
        return show(request, user, path=path, values=values,
                    error=(kind, message, campaign_forms.field_of(exc)), status_code=422)
    except QuanziError as exc:
        return show(request, user, path=path, values=values,
                    error=(kind, refusals.say(exc, lang), ""), status_code=exc.status)
    return redirect(request, f"{path}?created={kind}-{made.id}")


def _products(session: Session, user: Identity, scope: int | None) -> list[ProductOut]:
    """The products whose SKUs ``user`` may run campaigns on (newest first)."""
    if scope == 0:
        return []
    filters = ProductFilter(supplier_id=scope, include_off_shelf=True)
    return catalog.list_products(session, filters, limit=PRODUCT_LIMIT, viewer=user).items
