"""Shipping from the supplier's queue: the fields of one row, and batch shipping of the
ticked rows (``order_id`` values), each order its own state move through
``orders.lifecycle.ship``, so one refused (another state, a bad tracking number) does not
stop the others. The report names each order shipped and each refused, with the reason in
the page's language."""

from dataclasses import dataclass, field

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.core.errors import QuanziError
from quanzi.orders import lifecycle
from quanzi.orders.schemas import ShipIn
from quanzi.web.kit import i18n, refusals
from quanzi.web.kit.pages import SupplierUser, text

MAX_BATCH = 50


@dataclass
class Report:
    shipped: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def ship_in(form: FormData, order_id: int) -> ShipIn:
    """The row's ``carrier-<id>``/``tracking_no-<id>``, else plain ``carrier``/``tracking_no``
    (422 through the page's refusal when invalid)."""
    carrier = text(form, f"carrier-{order_id}", 40) or text(form, "carrier", 40)
    number = text(form, f"tracking_no-{order_id}", 80) or text(form, "tracking_no", 80)
    return ShipIn(carrier=carrier, tracking_no=number)


def _ticked(form: FormData) -> list[int]:
    raw = [str(v) for v in form.getlist("order_id")]
    ids = [int(v) for v in raw if v.isdecimal() and len(v) < 11]
    return list(dict.fromkeys(i for i in ids if 1 <= i <= 2_147_483_647))[:MAX_BATCH]


def ship_ticked(request: Request, user: SupplierUser, form: FormData) -> Report:
    """Ship every ticked order; never raises for one order's refusal."""
    lang, report = i18n.negotiate(request), Report()
    for order_id in _ticked(form):
        try:
            lifecycle.ship(actor=user, order_id=order_id, data=ship_in(form, order_id))
        except QuanziError as exc:
            report.refused.append((order_id, refusals.say(exc, lang)))
        except ValidationError as exc:
            report.refused.append((order_id, refusals.invalid(exc, lang)))
        else:
            report.shipped.append(order_id)
    return report
