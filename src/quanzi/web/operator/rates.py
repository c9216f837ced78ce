"""The operator's commission rates per category (``/api/v1/referral/rates`` as a page).

Rates are entered as percentages (``12.5`` = 12.5%, two decimals at most) and kept as
basis points (``web/kit/percent.py``); a form posting the old ``level1_bp:<category>``
fields in basis points is still read. One row per catalog category (the list
``GET /api/v1/categories`` gives, plus any category that still has an override); an
empty row means the default rates of ``/operator/rules``.
Saving goes through ``referral.services.save_rates`` for the per-category overrides only:
the per-product ones (set through the API, not shown as rows) stay as they are. A row
breaking a rule is shown under that row with the values entered, status 422, and nothing
is saved.
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from quanzi.catalog import queries as catalog
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput
from quanzi.referral import domain, services
from quanzi.referral.schemas import RateIn, RatesIn
from quanzi.web.kit import i18n
from quanzi.web.kit.form_errors import problems
from quanzi.web.kit.pages import CheckedForm, OperatorUser, PageRoute, redirect, render, text
from quanzi.web.kit.percent import bp_from_percent, percent_of
from quanzi.web.kit.refusals import say

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE = "/operator/rates"
LEVELS = ("level1_bp", "level2_bp")
LABELS = {"level1_bp": "一级佣金（%）", "level2_bp": "二级佣金（%）"}
NOT_A_NUMBER = "须为百分比，最多两位小数（如 12.5）"
Refusal = tuple[str, str | None]  # (reason, the field's label or None)


@dataclass(frozen=True)
class Row:
    """One category's line of the form: the percentages as stored or entered ('' = default)."""

    category: str
    level1: str = ""
    level2: str = ""
    problem: str | None = None  # why the row was refused (a message id) …
    problem_field: str | None = None  # … and the field's label, when it is one field's fault


@router.get(PAGE)
def rates_page(request: Request, _: OperatorUser, saved: int = 0) -> Response:
    with read_session() as session:
        stored = services.rates_out(session).rates
    rows = {r.category: Row(r.category, percent_of(r.level1_bp), percent_of(r.level2_bp))
            for r in stored if r.category is not None}
    return _page(request, rows, saved=bool(saved))


def _page(request: Request, rows: dict[str, Row], *, saved: bool = False,
          problem: str | None = None, status_code: int = 200) -> Response:
    """The form: every catalog category (biggest first), then the other rows given."""
    with read_session() as session:
        rules = services.load_rules(session)
        names = [c.name for c in catalog.list_categories(session)]
        products = [r for r in services.rates_out(session).rates if r.product_id is not None]
    ordered = [rows.get(name) or Row(name) for name in names]
    ordered += [row for name, row in rows.items() if name not in names]
    return render(request, "operator/rates.html", {
        "rows": ordered, "rules": rules, "product_rates": len(products), "saved": saved,
        "problem": problem, "labels": LABELS, "in_catalog": set(names)},
        status_code=status_code)


@router.post(PAGE)
def save(request: Request, _: OperatorUser, form: CheckedForm) -> Response:
    """Replace the category overrides; the product overrides stay as they are."""
    rows = _entered(form)
    chosen: list[RateIn] = []
    refused: dict[str, Row] = {}
    for name, row in rows.items():
        rate, refusal = _check(row)
        if refusal is not None:
            refused[name] = Row(row.category, row.level1, row.level2, *refusal)
        elif rate is not None:
            chosen.append(rate)
    if refused:
        return _page(request, rows | refused, problem="有佣金率不合规，未保存。", status_code=422)
    try:
        services.save_rates(RatesIn(rates=chosen), categories_only=True)
    except InvalidInput as exc:
        return _page(request, rows, problem=say(exc, i18n.negotiate(request)), status_code=422)
    return redirect(request, f"{PAGE}?saved=1")


def _entered(form: FormData) -> dict[str, Row]:
    """The rows of the form: fields ``level1_pct:<category>`` and ``level2_pct:<category>``
    (or, in basis points, ``level1_bp:<category>`` and ``level2_bp:<category>``)."""
    rows: dict[str, Row] = {}
    for key in form:
        for unit in ("pct", "bp"):
            raw = key.removeprefix(f"level1_{unit}:")
            if raw != key and raw.strip():
                name = raw.strip()[:40]
                rows[name] = Row(name, _as_percent(text(form, key, 12), unit),
                                 _as_percent(text(form, f"level2_{unit}:{raw}", 12), unit))
    return rows


def _as_percent(value: str, unit: str) -> str:
    """A basis-point value as a percentage (what is not a whole number stays as typed)."""
    if unit == "bp" and value.isascii() and value.isdigit() and len(value) < 10:
        return percent_of(int(value))
    return value


def _check(row: Row) -> tuple[RateIn | None, Refusal | None]:
    """The override a row asks for (None when left empty), or why it is refused.

    The level rules are the service's own (``domain.check_rate_override``), checked here
    row by row so the reason can be shown next to the row that breaks it."""
    if not row.level1 and not row.level2:
        return None, None
    values: dict[str, object] = {"category": row.category, "level2_bp": 0}
    for name, entered in zip(LEVELS, (row.level1, row.level2), strict=True):
        try:
            bp = bp_from_percent(entered)
        except ValueError:
            return None, (NOT_A_NUMBER, LABELS[name])
        if bp is not None:
            values[name] = bp
    try:
        rate = RateIn.model_validate(values)
        domain.check_rate_override(rate.level1_bp, rate.level2_bp)
    except ValidationError as exc:
        label, reason = problems(exc, LABELS)[0]
        return None, (reason, label)
    except InvalidInput as exc:
        return None, (say(exc), None)
    return rate, None

