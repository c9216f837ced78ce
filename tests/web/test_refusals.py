"""Service refusals on the pages read in the reader's language (web/kit/refusals.py).

The completeness tests walk the source: every refusal a service can raise has a Chinese
text, and every text has its English translation, so a new ``raise`` without one fails.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from quanzi.accounts import password_policy
from quanzi.catalog.models import Sku
from quanzi.community import domain as community_domain
from quanzi.core import errors
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, QuanziError
from quanzi.orders import domain as orders_domain
from quanzi.orders.models import Order
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate
from quanzi.referral import domain as referral_domain
from quanzi.referral import services as referral
from quanzi.web.kit import form_errors, i18n, refusal_texts, refusals
from quanzi.web.kit.refusals import say
from tests.factories import ADDRESS, make_product, make_supplier, make_user, snapshot
from tests.web.helpers import form_post, sign_in

SRC = Path(refusals.__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = {"Accept-Language": "en"}
SAMPLE = "12"  # stands for every value put into an f-string message
# raises whose message is not written in the call, and where their texts are checked
DYNAMIC = {
    ("campaigns/common.py", "REFUSALS.get(code, code)"): "the rules' codes, see below",
    ("orders/refunds.py", "'; '.join(problems)"): "check_refund's reasons, see below",
    ("referral/domain.py", "'; '.join(problems)"): "compliance_problems, see below",
    ("payments/services.py", "detail"): "codes unknown_payment and amount_mismatch",
    ("accounts/services.py", "reason"): "password_policy.REASONS, see below",
    ("community/batches.py", "problem"): "check_times' reasons, see below",
    ("orders/domain.py", "HOLD_REASONS.get(hold, 'this order is on hold')"):
        "the holds' codes, see below",
}
PAYMENT_OUTCOMES = ("unknown_payment", "amount_mismatch")
# actions put into InvalidTransition by a variable: (file, entity) → the actions it can be
MOVES = {
    ("orders/domain.py", "order"): tuple(orders_domain.TRANSITIONS),
    ("orders/lifecycle.py", "order"): tuple(orders_domain.TRANSITIONS),
    ("orders/refunds.py", "refund"): ("reject", "refund"),  # "rejected"/"refunded" less "ed"
    ("ledger/payouts.py", "payout"): ("mark approved", "mark rejected", "mark paid",
                                      "mark declined"),
    ("community/domain.py", "batch"): tuple(community_domain.TRANSITIONS),
    ("community/batches.py", "batch"): tuple(community_domain.TRANSITIONS),
    ("community/leaders.py", "leader application"): ("approve", "reject"),
    ("community/leaders.py", "pickup point"): ("pause", "resume"),
}


def _error_classes() -> dict[str, str]:
    """QuanziError and every subclass defined in the source → its default ``code``."""
    classes = {n: v.code for n, v in vars(errors).items() if isinstance(v, type)
               and issubclass(v, QuanziError)}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and b.id in classes for b in node.bases):
                codes = [ast.literal_eval(s.value) for s in node.body
                         if isinstance(s, ast.Assign) and ast.unparse(s.targets[0]) == "code"]
                classes[node.name] = codes[0] if codes else "bad_request"
    return classes


@dataclass(frozen=True)
class Raise:
    """One construction of a refusal: where, the call, its code and its message (values
    of module constants filled in, other values as SAMPLE; None when not written out)."""

    file: str
    line: int
    call: ast.Call
    code: str
    message: str | None


def _raises() -> list[Raise]:
    """Every construction of a refusal in src/quanzi."""
    classes, found = _error_classes(), []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        constants = {t.id: str(n.value.value) for n in tree.body if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Constant) for t in n.targets
                     if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in classes and name != "QuanziError":
                    message = _sample(node.args[0], constants) if node.args else None
                    found.append(Raise(str(path.relative_to(SRC)), node.lineno, node,
                                       _code(node) or classes[name], message))
    return found


def _sample(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The message a literal, f-string or sum of them gives."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_value(v, constants) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _sample(node.left, constants)
        right = _sample(node.right, constants)
        return left + (right or SAMPLE) if left is not None else None
    return None


def _value(node: ast.expr, constants: dict[str, str]) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    inner = node.value if isinstance(node, ast.FormattedValue) else node
    return constants.get(inner.id, SAMPLE) if isinstance(inner, ast.Name) else SAMPLE


def _code(call: ast.Call) -> str:
    for keyword in call.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return ""


def test_the_walk_finds_the_refusals():
    found = _raises()
    assert len(found) > 150
    assert any(r.file == "catalog/services.py" and r.message == "not that much in stock"
               and r.code == "insufficient_stock" for r in found)


def _is_move(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "InvalidTransition"


def test_every_refusal_message_has_a_chinese_text():
    missing, dynamic = [], set()
    for found in _raises():
        if _is_move(found.call):
            continue
        if found.message is None:
            source = ast.unparse(found.call.args[0]) if found.call.args else "(no message)"
            dynamic.add((found.file, source))
            if (found.file, source) not in DYNAMIC:
                missing.append(f"{found.file}:{found.line} {source} (add it to DYNAMIC)")
        elif refusals.text_of(found.message, found.code) is None:
            missing.append(f"{found.file}:{found.line} {found.message!r}")
    assert missing == []
    assert dynamic == set(DYNAMIC)  # no stale entries


def test_every_illegal_move_has_a_chinese_text():
    missing = []
    for found in _raises():
        if not _is_move(found.call):
            continue
        action = found.call.args[2]
        entity = found.message or ""
        actions = ((action.value,) if isinstance(action, ast.Constant)
                   else MOVES.get((found.file, entity), ()))
        if not actions:
            missing.append(f"{found.file}:{found.line} {ast.unparse(action)} (add to MOVES)")
        missing += [f"{found.file}:{found.line} {entity} {a}" for a in actions
                    if (entity, a) not in refusal_texts.TRANSITIONS]
    assert missing == []


def test_dynamic_refusals_have_texts_too():
    from quanzi.campaigns.common import REFUSALS

    refuse_codes = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "refuse"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                refuse_codes.add(node.args[0].value)
    assert refuse_codes and refuse_codes <= set(REFUSALS)
    assert set(REFUSALS) | set(PAYMENT_OUTCOMES) <= set(refusal_texts.CODES)
    lines = {1: orders_domain.LineState(line_id=1, quantity=2, refunded_quantity=1,
                                        requested_quantity=0)}
    refund_problems = [*orders_domain.check_refund(lines, {1: 0, 2: 1}),
                       *orders_domain.check_refund(lines, {1: 9})]
    assert len(refund_problems) == 3
    proposal = referral_domain.Proposal(
        rules=referral_domain.Rules(attribution_policy="x", level1_bp=-1, level2_bp=5,
                                    cap_bp=20000, window_days=0),
        level3_enabled=True, entry_fee_fen=1, purchase_required=True, recruit_reward_fen=1)
    for part in [*refund_problems, *referral_domain.compliance_problems(proposal),
                 *password_policy.REASONS]:
        assert refusals.text_of(part, "") is not None, part


def _msgids() -> set[str]:
    texts = refusal_texts
    ids = {*texts.CODES.values(), *texts.MESSAGES.values(), *texts.TRANSITIONS.values(),
           *(text for _, text in texts.PATTERNS), *texts.BY_STATUS.values(),
           *texts.FIELD_LABELS.values(), texts.ANY_TRANSITION, texts.FALLBACK,
           *form_errors.REASONS.values(), form_errors.OTHER}
    for found in _raises():  # the Chinese written into raises (web pages, rules)
        if found.message and HAN.search(found.message):
            ids.add(found.message.partition(" / ")[0].strip())
    return ids


def test_every_text_is_chinese_and_has_an_english_translation():
    english = i18n.catalog("en")
    ids = _msgids()
    assert sorted(m for m in ids if not HAN.search(m)) == []
    assert sorted(m for m in ids if not english.get(m)) == []
    for message in ids:  # the same values in both languages
        wanted = set(re.findall(r"%\((\w+)\)s", message))
        assert set(re.findall(r"%\((\w+)\)s", english[message])) == wanted, message


@pytest.mark.parametrize(("exc", "chinese", "english"), [
    (Conflict("not that much in stock", code="insufficient_stock"), "库存不足",
     "Not enough stock"),
    (InvalidTransition("order", "completed", "ship"), "订单当前状态不能发货（已完成）",
     "This order cannot be shipped now (Completed)."),
    (Conflict("only 50 fen is available", code="insufficient_balance"),
     "可用余额不足（可用 ¥0.50）", "Not enough balance available (¥0.50 available)."),
    (Conflict("at most 3 withdrawals a day", code="limit_reached"), "今天的提现次数已达上限",
     "You have made the most withdrawals allowed today."),
    (Conflict("已抢光", code="sold_out"), "已抢光", "Sold out"),
    (NotFound("no such order"), "没有这个订单。", "No such order."),
    (InvalidInput("二级佣金不得高于一级 / level 2 may not be higher than level 1; "
                  "rates may not be negative", code="non_compliant"),
     "二级佣金不得高于一级；佣金率不能为负数",
     "Level 2 may not be higher than level 1. Rates may not be negative."),
])
def test_say_in_both_languages(exc, chinese, english):
    assert say(exc) == chinese
    assert say(exc, "en") == english


def test_an_unknown_refusal_reads_as_a_plain_sentence_by_status():
    assert say(NotFound("no such gizmo")) == "没有找到你要的内容"
    assert say(Conflict("gizmo is busy", code="busy")) == "操作未能完成，请刷新后重试"
    assert say(QuanziError("boom")) == "操作未能完成"
    assert say(NotFound("no such gizmo"), "en") == "What you are looking for is not here."
    for exc in (NotFound("x"), Conflict("x"), InvalidInput("x"), QuanziError("x")):
        assert not re.search("[A-Za-z]", say(exc))


def test_a_value_too_short_is_not_called_missing():
    from pydantic import BaseModel, Field, ValidationError

    class Form(BaseModel):
        name: str = Field(min_length=1)
        password: str = Field(min_length=8)

    with pytest.raises(ValidationError) as empty:
        Form(name="", password="long enough")
    with pytest.raises(ValidationError) as short:
        Form(name="小美", password="short")
    labels = {"name": "昵称", "password": "密码"}
    assert form_errors.problems(empty.value, labels) == [("昵称", "必填")]
    assert form_errors.problems(short.value, labels) == [("密码", "太短")]
    assert refusals.invalid(short.value, "en", labels).endswith("is too short")


# --- pages ------------------------------------------------------------------------------


def _supplier_with_stock(client) -> int:
    supplier_id = make_supplier()
    (sku,) = make_product(supplier_id, [("1kg", 990, 3)])
    sign_in(client, make_user("supplier", supplier_id=supplier_id).email)
    return sku


def _stock(sku: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku).stock


def test_a_refused_stock_change_reads_in_chinese_and_changes_nothing(client):
    sku = _supplier_with_stock(client)
    refused = form_post(client, "/supplier", f"/supplier/skus/{sku}/stock", {"delta": "-9"})
    assert refused.status_code == 409
    assert "库存不足" in refused.text and "not that much" not in refused.text
    assert _stock(sku) == 3


def test_a_refused_stock_change_reads_in_english_on_an_english_page(client):
    sku = _supplier_with_stock(client)
    refused = form_post(client, "/supplier", f"/supplier/skus/{sku}/stock", {"delta": "-9"},
                        headers=ENGLISH)
    assert refused.status_code == 409
    assert "Not enough stock" in refused.text and "库存不足" not in refused.text
    assert _stock(sku) == 3


def _unpaid_order(client) -> int:
    (sku,) = make_product(make_supplier())
    buyer = make_user()
    order = place_order(buyer_id=buyer.id, idempotency_key="refusals-1", data=OrderCreate(
        items=[{"sku_id": sku, "quantity": 1}], address=ADDRESS))
    sign_in(client, buyer.email)
    return int(order.id)


def test_an_illegal_move_names_the_state_in_either_language(client):
    order_id = _unpaid_order(client)
    page = f"/orders/{order_id}"
    chinese = form_post(client, page, f"{page}/confirm")
    assert chinese.status_code == 409
    assert "订单当前状态不能确认收货（待付款）" in chinese.text
    client.get("/lang/en")
    english = form_post(client, page, f"{page}/confirm")
    assert english.status_code == 409
    assert "Receipt of this order cannot be confirmed now (Awaiting payment)." in english.text
    assert "cannot confirm a order" not in english.text
    with read_session() as session:
        assert session.scalar(select(Order.status).where(Order.id == order_id)) == \
            "pending_payment"


def test_an_unknown_order_is_a_404_page_in_either_language(client):
    sign_in(client, make_user().email)
    chinese = client.get("/orders/999999")
    assert chinese.status_code == 404 and "没有这个订单。" in chinese.text
    assert "no such order" not in chinese.text
    english = client.get("/orders/999999", headers=ENGLISH)
    assert english.status_code == 404 and "No such order." in english.text
    assert "没有这个订单" not in english.text


def test_bad_input_on_a_page_reads_without_pydantic_english(client):
    _supplier_with_stock(client)
    chinese = form_post(client, "/supplier", "/supplier/orders/1/ship",
                        {"carrier": "", "tracking_no": "SF1234"})
    assert chinese.status_code == 422
    assert "快递公司：必填" in chinese.text and "String should" not in chinese.text
    english = form_post(client, "/supplier", "/supplier/orders/1/ship",
                        {"carrier": "", "tracking_no": "SF1234"}, headers=ENGLISH)
    assert english.status_code == 422 and "Carrier is required" in english.text


def test_compliance_reasons_read_in_the_pages_language(client):
    sign_in(client, make_user("operator").email)
    form = {"level1_bp": "1000", "level2_bp": "3000", "cap_bp": "2000", "window_days": "7",
            "binding_days": "30", "level3_enabled": "on"}
    before = snapshot(), _stored_rules_and_rates()
    chinese = form_post(client, "/operator/rules", "/operator/rules", form)
    assert chinese.status_code == 422
    assert "不允许第三级佣金（《禁止传销条例》第七条）" in chinese.text
    assert "a third commission level" not in chinese.text
    english = form_post(client, "/operator/rules", "/operator/rules", form, headers=ENGLISH)
    assert "A third commission level is never allowed" in english.text
    assert "不允许第三级佣金" not in english.text
    assert (snapshot(), _stored_rules_and_rates()) == before


def test_a_refused_rate_row_reads_in_the_pages_language(client):
    make_product(make_supplier(), category="水果")
    sign_in(client, make_user("operator").email)
    form = {"level1_bp:水果": "1000", "level2_bp:水果": "3000"}
    before = snapshot(), _stored_rules_and_rates()
    chinese = form_post(client, "/operator/rates", "/operator/rates", form)
    assert chinese.status_code == 422
    assert "二级佣金不得高于一级" in chinese.text and "level 2 may not" not in chinese.text
    english = form_post(client, "/operator/rates", "/operator/rates", form, headers=ENGLISH)
    assert "Level 2 may not be higher than level 1." in english.text
    assert "二级佣金不得高于一级" not in english.text
    assert (snapshot(), _stored_rules_and_rates()) == before


def _stored_rules_and_rates() -> tuple[object, object]:
    with read_session() as session:
        return referral.load_rules(session), referral.rates_out(session)


def test_community_dynamic_refusals_have_texts():
    from datetime import UTC, datetime, timedelta

    from quanzi.orders.domain import HOLD_REASONS

    at = datetime(2026, 1, 1, tzinfo=UTC)
    for opens, cuts, pickup in ((at, at, at), (at, at + timedelta(1), at)):
        reason = community_domain.check_times(opens, cuts, pickup)
        assert reason is not None and refusals.text_of(reason, "bad_times") is not None
    for hold, message in HOLD_REASONS.items():
        assert refusals.text_of(message, hold) is not None, hold
    assert refusals.text_of("not that much in stock", "sold_out") is not None
