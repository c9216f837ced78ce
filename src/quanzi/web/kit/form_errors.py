"""Validation errors of a form, as (field label, reason) pairs of Chinese message ids.

The pages show them next to the form (each part translated with ``_``), instead of the
English text pydantic writes.
"""

from pydantic import ValidationError

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


def problems(exc: ValidationError, labels: dict[str, str]) -> list[Problem]:
    """One (label, reason) per invalid field, in form order; unknown fields read "表单"."""
    found: dict[str, Problem] = {}
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if not str(p).isdecimal()]
        field = loc[-1] if loc else ""
        kind = str(error.get("type", ""))
        if kind == "value_error":
            reason = FIELD_REASONS.get(field) or VALUE_REASONS.get(field, OTHER)
        elif kind == "string_too_short" and int(error.get("ctx", {}).get("min_length", 1)) > 1:
            reason = FIELD_REASONS.get(field) or TOO_SHORT  # filled in, but not enough
        else:
            reason = FIELD_REASONS.get(field) or REASONS.get(kind, OTHER)
        found.setdefault(field, (labels.get(field, "表单"), reason))
    return list(found.values())
