"""The consoles' campaign forms: a submitted form → the service's ``*Create`` schema.

Amounts are typed in yuan (``12.34``), times in Asia/Shanghai local time (``datetime-local``
inputs, converted to UTC), durations in hours. A value that cannot be read is handed on
as typed, so the schema refuses it with the field's name; nothing is guessed.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
    TieredDealCreate,
)
from quanzi.core.money import parse_yuan
from quanzi.web.kit import form_errors
from quanzi.web.kit.i18n import SHANGHAI
from quanzi.web.kit.refusal_texts import MESSAGES

TIER_ROWS = 5
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
SCHEMAS: dict[str, type[BaseModel]] = {
    "flash_sale": FlashSaleCreate, "group_buy": GroupBuyCreate, "bargain": BargainCreate,
    "tiered": TieredDealCreate, "presale": PresaleCreate}
FIELD_LABELS = {  # schema field → the form's label (a message id)
    "sku_id": "商品规格", "price_fen": "活动价（元）", "stock": "活动库存",
    "per_user_limit": "每人限购", "starts_at": "开始时间", "ends_at": "结束时间",
    "group_size": "成团人数", "duration_s": "有效时长（小时）", "max_groups": "最多开团数",
    "start_price_fen": "起砍价（元）", "floor_price_fen": "底价（元）",
    "helps_needed": "最少助力人数", "helps_needed_max": "最多助力人数",
    "helps_per_user_per_day": "每人每天可帮砍次数", "tiers": "价格阶梯",
    "deposit_fen": "定金（元）", "deposit_worth_fen": "定金抵扣（元）",
    "deposit_starts_at": "定金开始", "deposit_ends_at": "定金截止",
    "balance_starts_at": "尾款开始", "balance_ends_at": "尾款截止",
    "unpaid_balance_rule": "未付尾款规则",
}
# the services' reasons for refusing a configuration → message ids (kept with every
# other refusal's text in refusal_texts; pages put a refusal in words with refusals.say)
REASONS = MESSAGES
# form field → schema field, per kind (the checkboxes and tiers are read apart)
MONEY = {"price": "price_fen", "start_price": "start_price_fen",
         "floor_price": "floor_price_fen", "deposit": "deposit_fen",
         "deposit_worth": "deposit_worth_fen"}
FIELDS = {
    "flash_sale": ("sku_id", "price", "stock", "per_user_limit", "starts_at", "ends_at"),
    "group_buy": ("sku_id", "price", "group_size", "duration_h", "per_user_limit",
                  "max_groups", "starts_at", "ends_at"),
    "bargain": ("sku_id", "start_price", "floor_price", "helps_needed", "helps_needed_max",
                "duration_h", "helps_per_user_per_day", "starts_at", "ends_at"),
    "tiered": ("sku_id", "starts_at", "ends_at"),
    "presale": ("sku_id", "price", "deposit", "deposit_worth", "deposit_starts_at",
                "deposit_ends_at", "balance_starts_at", "balance_ends_at",
                "unpaid_balance_rule"),
}
FLAGS = {"group_buy": ("auto_complete",), "bargain": ("allow_in_wechat",)}
# the fields whose reason the form shows under them (the others' above the form)
UNDER_FIELD = frozenset({"tiers"} | {name for names in FIELDS.values() for name in names
                                      if name != "unpaid_balance_rule"})


def fen(raw: str) -> int | str:
    """``"12.34"`` → 1234 (``core.money.parse_yuan``); anything else is returned as typed,
    for the schema to refuse with the form's wording."""
    amount = parse_yuan(raw)
    return raw if amount is None else amount


def local_time(raw: str) -> datetime | str:
    """A ``datetime-local`` value read in Asia/Shanghai, as an aware UTC time."""
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw
    if naive.tzinfo is not None:
        return raw
    return naive.replace(tzinfo=SHANGHAI).astimezone(UTC)


def seconds(raw_hours: str) -> int | str:
    """``"24"`` (hours, decimals allowed) → 86400; anything else is returned as typed."""
    try:
        hours = Decimal(raw_hours.strip())
    except InvalidOperation:
        return raw_hours
    return int(hours * 3600) if hours.is_finite() and abs(hours) < 100_000 else raw_hours


def input_value(when: datetime) -> str:
    """An aware time as the value of a ``datetime-local`` input in Asia/Shanghai."""
    return when.astimezone(SHANGHAI).strftime(LOCAL_FORMAT)


def defaults(now: datetime) -> dict[str, str]:
    """Starting values of the forms: windows from the next hour on."""
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    day = timedelta(days=1)
    return {"starts_at": input_value(start), "ends_at": input_value(start + 3 * day),
            "deposit_starts_at": input_value(start),
            "deposit_ends_at": input_value(start + 3 * day),
            "balance_starts_at": input_value(start + 3 * day),
            "balance_ends_at": input_value(start + 5 * day),
            "stock": "50", "per_user_limit": "1", "group_size": "3", "duration_h": "24",
            "helps_needed": "5", "helps_per_user_per_day": "3",
            "unpaid_balance_rule": "forfeit_deposit",
            "tier_min_1": "1", "tier_min_2": "5", "tier_min_3": "10"}


def values_of(form: FormData) -> dict[str, str]:
    """The form's own fields as typed (to show them again), bounded in size."""
    names = {n for fields in FIELDS.values() for n in fields} | {"auto_complete",
                                                                "allow_in_wechat"}
    names |= {f"tier_{part}_{i}" for part in ("min", "price") for i in range(1, TIER_ROWS + 1)}
    return {n: v.strip()[:40] for n, v in form.items() if n in names and isinstance(v, str)}


def parse(kind: str, values: dict[str, str]) -> BaseModel:
    """The ``*Create`` schema of ``kind`` from the typed values (``ValidationError`` if wrong)."""
    data: dict[str, Any] = {}
    for name in FIELDS[kind]:
        raw = values.get(name, "")
        if raw == "":
            continue  # missing: the schema's default, or its "field required"
        if name in MONEY:
            data[MONEY[name]] = fen(raw)
        elif name == "duration_h":
            data["duration_s"] = seconds(raw)
        elif name.endswith("_at"):
            data[name] = local_time(raw)
        else:
            data[name] = raw
    for flag in FLAGS.get(kind, ()):
        data[flag] = values.get(flag) == "on"
    if kind == "tiered":
        data["tiers"] = [{"min_participants": values.get(f"tier_min_{i}", ""),
                          "price_fen": fen(values.get(f"tier_price_{i}", ""))}
                         for i in range(1, TIER_ROWS + 1)
                         if values.get(f"tier_min_{i}") or values.get(f"tier_price_{i}")]
    return SCHEMAS[kind].model_validate(data)


def field_of(exc: ValidationError) -> str:
    """The form's field the first problem of ``exc`` concerns ("" for the whole form): the
    schema's ``price_fen`` is the form's ``price``, ``duration_s`` its ``duration_h``."""
    loc = exc.errors()[0].get("loc", ())
    name = str(loc[0]) if loc else ""
    typed = {schema: form for form, schema in MONEY.items()} | {"duration_s": "duration_h"}
    field = typed.get(name, name)
    return field if field in UNDER_FIELD else ""


def problem(exc: ValidationError, gettext: Any) -> str:
    """The first problem of ``exc`` named by the form's label of the field, in words
    ("成团人数: 超出允许的范围"), not pydantic's English."""
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    label = gettext(FIELD_LABELS[loc[0]]) if loc and loc[0] in FIELD_LABELS else ""
    reason = gettext(form_errors.REASONS.get(str(first.get("type", "")), form_errors.OTHER))
    return f"{label}: {reason}" if label else reason
