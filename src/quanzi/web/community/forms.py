"""The community forms: a submitted form → the service's schema, and each field's problem
to show under that field (what was typed stays in the form).

Amounts are typed in yuan (``2.90``), the leader's rate as a percentage (``8`` or
``8.5``), times in Asia/Shanghai (``datetime-local``). A value that cannot be read is
handed on as typed, so the schema refuses it with the field's name.
"""

from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.community.schemas import BatchCreate, PointIn
from quanzi.web.campaigns.forms import fen, input_value, local_time
from quanzi.web.kit.form_errors import FIELD_REASONS, OTHER, REASONS
from quanzi.web.kit.i18n import SHANGHAI
from quanzi.web.kit.percent import bp_from_percent

ITEM_ROWS = 5
POINT_FIELDS = ("name", "province", "city", "district", "community", "address", "lat", "lng",
                "opening_hours")
BATCH_FIELDS = ("title", "opens_at", "cuts_off_at", "pickup_from", "rate_pct",
                *(f"{part}_{i}" for i in range(1, ITEM_ROWS + 1)
                  for part in ("sku", "price", "stock", "min")))
Problems = dict[str, str]  # form field → reason (a message id)


def values_of(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The form's own fields as typed (to show them again), bounded in size."""
    return {n: v.strip()[:200] for n, v in form.items() if n in names and isinstance(v, str)}


def field_problems(exc: ValidationError, rename: dict[str, str] | None = None) -> Problems:
    """One reason per invalid field, keyed by the form's field name (``rename`` maps a
    schema location such as ``items.0.price_fen`` to it)."""
    found: Problems = {}
    for error in exc.errors():
        loc = ".".join(str(part) for part in error.get("loc", ()) if part != "point")
        field = (rename or {}).get(loc, loc)
        kind = str(error.get("type", ""))
        found.setdefault(field, FIELD_REASONS.get(field) or REASONS.get(kind, OTHER))
    return found


def point(values: dict[str, str]) -> PointIn:
    """The applicant's point (``PointIn``); ValidationError names the fields."""
    data: dict[str, Any] = {name: values.get(name, "") for name in POINT_FIELDS}
    for name in ("lat", "lng", "opening_hours"):
        if data[name] == "":
            data[name] = None
    return PointIn.model_validate(data)


def batch_defaults(now: datetime) -> dict[str, str]:
    """A batch that opens now, cuts off tomorrow at 22:00 and is collected from 16:00 the
    day after (Beijing time)."""
    local = now.astimezone(SHANGHAI).replace(second=0, microsecond=0)
    cut = (local + timedelta(days=1)).replace(hour=22, minute=0)
    pickup = (cut + timedelta(days=1)).replace(hour=16)
    return {"opens_at": input_value(local), "cuts_off_at": input_value(cut),
            "pickup_from": input_value(pickup), "rate_pct": "8"}


def item_rows(values: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The item rows with a SKU chosen, and the schema location → form field of each."""
    items: list[dict[str, Any]] = []
    rename: dict[str, str] = {}
    for i in range(1, ITEM_ROWS + 1):
        if not values.get(f"sku_{i}"):
            continue
        at = len(items)
        rename |= {f"items.{at}.{key}": f"{part}_{i}" for key, part in (
            ("sku_id", "sku"), ("price_fen", "price"), ("stock", "stock"),
            ("min_qty_per_point", "min"))}
        items.append({"sku_id": values[f"sku_{i}"], "price_fen": fen(values.get(f"price_{i}", "")),
                      "stock": values.get(f"stock_{i}", ""),
                      "min_qty_per_point": values.get(f"min_{i}") or None})
    return items, rename


def batch(values: dict[str, str]) -> tuple[BatchCreate | None, Problems]:
    """The batch (``BatchCreate``) or, when the form is wrong, each field's problem."""
    items, rename = item_rows(values)
    rename |= {"leader_rate_bps": "rate_pct", "items": "sku_1"}
    problems: Problems = {}
    try:
        rate: Any = bp_from_percent(values.get("rate_pct", ""))
    except ValueError:
        rate, problems["rate_pct"] = None, "须为百分比，如 8 或 8.5"
    if rate is None and "rate_pct" not in problems:
        problems["rate_pct"] = "必填"
    data = {"title": values.get("title", ""), "leader_rate_bps": rate or 0, "items": items,
            **{name: local_time(values.get(name, ""))
               for name in ("opens_at", "cuts_off_at", "pickup_from")}}
    try:
        made = BatchCreate.model_validate(data)
    except ValidationError as exc:
        return None, field_problems(exc, rename) | problems
    return (None, problems) if problems else (made, {})
