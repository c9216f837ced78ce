"""What a page says when a service refuses: the refusal in the reader's language.

Services raise :class:`~quanzi.core.errors.QuanziError` with English messages, and the API
returns them as they are. Pages instead show the Chinese text of the refusal (a message id,
see ``refusal_texts``), or its English translation from the ``.po`` on English pages. A
refusal nobody wrote a text for reads as a plain sentence by its HTTP status, never as the
service's English on a Chinese page. Example::

    say(Conflict("not that much in stock", code="insufficient_stock"))        # "库存不足"
    say(InvalidTransition("order", "completed", "ship"))   # "订单当前状态不能发货（已完成）"
    say(InvalidTransition("order", "completed", "ship"), "en")
    # "This order cannot be shipped now (Completed)."

Pass the page's language (``i18n.negotiate(request)``): a text with values in it (a state,
an amount) is formatted here, so a template's ``_()`` could not translate it afterwards.
"""

import re

from pydantic import ValidationError

from quanzi.core.errors import InvalidTransition, QuanziError
from quanzi.core.money import format_fen
from quanzi.web.kit import form_errors, i18n
from quanzi.web.kit.form_errors import problems
from quanzi.web.kit.labels import label
from quanzi.web.kit.refusal_texts import (
    ANY_TRANSITION,
    BY_STATUS,
    CODES,
    FALLBACK,
    FIELD_LABELS,
    MESSAGES,
    PATTERNS,
    TRANSITIONS,
)

__all__ = ["invalid", "reasons", "say", "text_of"]

HAN = re.compile(r"[\u4e00-\u9fff]")
MOVE = re.compile(r"cannot (?P<action>.+?) an? (?P<entity>\w+(?: \w+)?) that is "
                  r"(?P<current>\w+)(?:: .+)?")
PART_SEPARATOR = "; "
JOINED_CODES = frozenset({"non_compliant", "refund_invalid"})  # '; '-joined reasons


def say(exc: QuanziError, lang: str = i18n.DEFAULT) -> str:
    """The refusal ``exc`` as a page shows it, in ``lang`` (zh-CN: the message id itself).

    Reasons joined by the service (compliance, refund lines) are each put into words and
    joined again as sentences (see :func:`reasons` to list them one by one).
    """
    parts = reasons(exc, lang)
    if lang == i18n.DEFAULT or len(parts) == 1:
        return "；".join(parts)
    return " ".join(part if part.endswith(".") else part + "." for part in parts)


def reasons(exc: QuanziError, lang: str = i18n.DEFAULT) -> list[str]:
    """Each reason of ``exc`` in ``lang``: one, or several when the service joined them."""
    _ = i18n.gettext_for(lang)
    if isinstance(exc, InvalidTransition) or exc.code == "invalid_transition":
        return [_move(exc.message, _)]
    if exc.code in JOINED_CODES and PART_SEPARATOR in exc.message:
        parts = [_phrase(part, exc, _) for part in exc.message.split(PART_SEPARATOR)]
        return list(dict.fromkeys(parts))
    return [_phrase(exc.message, exc, _)]


def invalid(exc: ValidationError, lang: str = i18n.DEFAULT,
            labels: dict[str, str] | None = None) -> str:
    """The first problem of a form's validation error in ``lang``, not pydantic's English:
    "收货人：必填" ("Recipient is required"). ``labels`` names the form's fields (schema
    field → message id); unknown fields read "表单"."""
    field, reason = problems(exc, FIELD_LABELS if labels is None else labels)[0]
    return form_errors.say(field, reason, lang)  # "Phone must be a mainland China mobile …"


def text_of(message: str, code: str) -> tuple[str, dict[str, str]] | None:
    """The message id of one refusal message and the values it needs, or None when no
    text was written for it: exact message, pattern, own Chinese, then ``code``."""
    if message in MESSAGES:
        return MESSAGES[message], {}
    for pattern, text in PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return text, {k: v or "" for k, v in found.groupdict().items()}
    if HAN.search(message):  # already Chinese, or "中文 / English"
        return message.partition(" / ")[0].strip(), {}
    if code in CODES:
        return CODES[code], {}
    return None


def _phrase(message: str, exc: QuanziError, _: i18n.Gettext) -> str:
    """One refusal message in words, else the plain sentence of its status."""
    found = text_of(message, exc.code)
    if found is None:
        return _(BY_STATUS.get(exc.status, FALLBACK))
    text, values = found
    return _(text, **_values(values))


def _values(groups: dict[str, str]) -> dict[str, object]:
    """A pattern's values for the text: a ``fen`` group is shown as an amount (¥12.34)."""
    return {name: format_fen(int(value)) if name == "fen" else value
            for name, value in groups.items()}


def _move(message: str, _: i18n.Gettext) -> str:
    """An illegal move ("cannot ship an order that is completed") in words."""
    found = MOVE.fullmatch(message)
    if found is None:
        return _(BY_STATUS[409])
    entity, current = found["entity"], found["current"]
    status = _(label(current, "payout" if entity == "payout" else ""))
    text = TRANSITIONS.get((entity, found["action"]), ANY_TRANSITION)
    return _(text, status=status)
