"""Validation errors of a form, as Chinese message ids instead of pydantic's English.

Two shapes: ``by_field`` gives each refused form field its reason, which the page shows
under that field (``partials/fields.html``: the message has an id, the input is marked
``aria-invalid`` and points at it with ``aria-describedby``); ``problems`` gives (field
label, reason) pairs for one line of text or a list. Example::

    try:
        RegisterIn(name="", phone="1380013800", password="long enough")
    except ValidationError as exc:
        by_field(exc, {"name": "昵称"}, names={"phone": "login"})
        # {"name": "昵称：必填", "login": "表单：须为中国大陆手机号（11 位，13–19 开头）"}

A page that refuses a form renders the same page again (422, or 409 for a state that
changed), with what was typed, and these errors under the fields.
"""

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from quanzi.web.kit import i18n

REASONS = {
    "missing": "必填", "string_too_short": "必填", "string_too_long": "太长",
    "int_parsing": "须为数字（金额写成 12.34）", "int_type": "须为数字（金额写成 12.34）",
    "greater_than_equal": "超出允许的范围", "less_than_equal": "超出允许的范围",
    "too_short": "至少填写一项", "too_long": "太多了",
}
FIELD_REASONS = {"phone": "须为中国大陆手机号（11 位，13–19 开头）"}  # any error of the field
VALUE_REASONS = {"skus": "规格不能重复"}  # the field's own validator
TOO_SHORT = "太短"
OTHER = "填写不正确"

Problem = tuple[str, str]
FieldErrors = dict[str, str]  # a form field's name → why it is refused (a message id)


def problems(exc: ValidationError, labels: dict[str, str]) -> list[Problem]:
    """One (label, reason) per invalid field, in form order; unknown fields read "表单"."""
    found: dict[str, Problem] = {}
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if not str(p).isdecimal()]
        field = loc[-1] if loc else ""
        found.setdefault(field, (labels.get(field, "表单"), reason_of(error, field)))
    return list(found.values())


def by_field(exc: ValidationError, labels: Mapping[str, str], *, lang: str = i18n.DEFAULT,
             names: Mapping[str, str] | None = None, rows: str | None = None) -> FieldErrors:
    """Form field name → what to say under it in ``lang`` ("昵称：必填", "Name is
    required"), the first reason of each field, in form order.

    A schema field is named in the form as itself, or as ``names`` says (``{"email":
    "login"}``); an error of the whole model (no field) is keyed ``names.get("", "")``.
    ``rows`` names a list field whose items the form shows as numbered rows: the error at
    ``("skus", 1, "price_fen")`` is the field ``price_1`` (after ``names``).
    """
    names = names or {}
    found: FieldErrors = {}
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        field = str(loc[-1]) if loc and not isinstance(loc[-1], int) else ""
        name = names.get(field, field)
        if rows and len(loc) >= 3 and loc[0] == rows and isinstance(loc[1], int):
            name = f"{name}_{loc[1]}"
        elif rows and loc[:1] == (rows,):
            name = rows
        found.setdefault(name, say(labels.get(field, "表单"), reason_of(error, field), lang))
    return found


def say(label: str, reason: str, lang: str = i18n.DEFAULT) -> str:
    """A field's label and reason as one phrase in ``lang``: "昵称：必填", "Name is required"."""
    if lang == i18n.DEFAULT:
        return f"{label}：{reason}"
    _ = i18n.gettext_for(lang)
    return f"{_(label)} {_(reason)}"


def reason_of(error: Mapping[str, Any], field: str) -> str:
    """Why pydantic refused ``field``, as a message id."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        return FIELD_REASONS.get(field) or VALUE_REASONS.get(field, OTHER)
    if kind == "string_too_short" and int(error.get("ctx", {}).get("min_length", 1)) > 1:
        return FIELD_REASONS.get(field) or TOO_SHORT  # filled in, but not enough
    return FIELD_REASONS.get(field) or REASONS.get(kind, OTHER)
