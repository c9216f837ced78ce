"""The operator console: dashboard with SVG charts, promoter approvals, the commission
rules form (showing the compliance errors), campaigns, and payouts / withdrawals to review."""

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from quanzi.accounts import services as accounts
from quanzi.analytics import home
from quanzi.analytics import queries as analytics
from quanzi.core import clock
from quanzi.core.db import read_session
from quanzi.core.errors import Conflict, InvalidInput, NotFound
from quanzi.core.money import format_fen
from quanzi.ledger import payouts
from quanzi.referral import queries, services
from quanzi.referral.schemas import ConfigIn
from quanzi.web.campaigns import console as campaign_console
from quanzi.web.kit import form_errors, i18n, refusals
from quanzi.web.kit.form_errors import FieldErrors
from quanzi.web.kit.pages import (
    CheckedForm,
    OperatorUser,
    PageRoute,
    number,
    redirect,
    render,
    text,
)
from quanzi.web.kit.percent import bp_from_percent
from quanzi.web.operator import charts, rates

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAYOUT_STATUSES = ("requested", "approved", "rejected", "declined", "paid")
RULE_NUMBERS = ("level1_bp", "level2_bp", "cap_bp", "window_days", "binding_days")
RULE_FLAGS = ("level2_enabled", "self_purchase_rebate", "auto_approve")
FORBIDDEN_NUMBERS = ("level3_bp", "entry_fee_fen", "min_purchase_fen", "recruit_reward_fen")
FORBIDDEN_FLAGS = ("level3_enabled", "purchase_required")
PERCENT_FIELDS = ("level1_bp", "level2_bp", "cap_bp", "level3_bp")  # typed as percentages
FIELD_LABELS = {
    "level1_bp": "一级佣金（%）", "level2_bp": "二级佣金（%）", "cap_bp": "佣金上限（%）",
    "window_days": "归因窗口（天）", "binding_days": "锁粉期（天）",
    "level2_enabled": "开启二级佣金（有法律风险）", "self_purchase_rebate": "自购返佣",
    "auto_approve": "自动通过推客申请", "level3_bp": "三级佣金（%）",
    "entry_fee_fen": "入门费（分）", "min_purchase_fen": "最低购买额（分）",
    "recruit_reward_fen": "拉人头奖励（分）", "level3_enabled": "开启三级佣金",
    "purchase_required": "成为推客须先购买",
}


@router.get("/operator")
def dashboard(request: Request, _: OperatorUser) -> Response:
    """The operator's home: today against yesterday, then the 14-day charts, all read from
    the rollup; the to-dos and rankings come in by htmx from :func:`queues`."""
    with read_session() as session:
        board = analytics.dashboard(session, clock.now())
    series, t = board.daily, i18n.gettext_for(i18n.negotiate(request))
    svg = [charts.bar_chart(t("订单"), series.days, series.orders, str(sum(series.orders))),
           charts.bar_chart(t("成交额"), series.days, series.gmv_fen,
                            format_fen(sum(series.gmv_fen))),
           charts.bar_chart(t("点击"), series.days, series.clicks, str(sum(series.clicks)))]
    return render(request, "operator/dashboard.html", {
        "charts": svg, "rolled_at": board.rolled_at, "live_today": board.live_today,
        "today": board.today, "yesterday": board.yesterday})


@router.get("/operator/home/queues")
def queues(request: Request, _: OperatorUser) -> Response:
    """htmx: the to-dos with counts (indexed status counts) and the top promoters and
    products of the last 7 days, read from the source tables in their own request so the
    dashboard itself stays on the rollup."""
    now = clock.now()
    with read_session() as session:
        todos = home.todos(session)
        top_promoters = home.top_promoters(session, now)
        top_products = home.top_products(session, now)
    return render(request, "operator/partials/queues.html", {
        "todos": todos, "top_promoters": top_promoters, "top_products": top_products})


Refused = tuple[int, str, int]  # a refused decision: the row's id, the reason, the status


@router.get("/operator/promoters")
def promoters(request: Request, _: OperatorUser, status: str = "applied") -> Response:
    return _promoters(request, status)


def _promoters(request: Request, status: str, refused: Refused | None = None) -> Response:
    """The list by state; ``refused`` puts a refused decision's reason under its row (above
    the list when the row is no longer in it), with its status."""
    status = status if status in ("applied", "approved", "rejected") else "applied"
    with read_session() as session:
        items = queries.list_promoters(session, status)
        people = accounts.users_by_id(session, [i for p in items
                                                for i in (p.user_id, p.inviter_id) if i])
    return render(request, "operator/promoters.html",
                  {"items": items, "status": status, "people": people,
                   "refused": refused or (0, "")},
                  status_code=_refusal_status(refused))


@router.post("/operator/promoters/{promoter_id}/{decision}")
def decide_promoter(request: Request, promoter_id: int, decision: str, user: OperatorUser,
                    form: CheckedForm) -> Response:
    try:
        if decision == "approve":
            services.approve(operator_id=user.id, promoter_id=_bounded(promoter_id))
        else:
            services.reject(operator_id=user.id, promoter_id=_bounded(promoter_id),
                            reason=text(form, "reason", 255) or "不符合要求")
    except (InvalidInput, Conflict) as exc:
        refusal = (promoter_id, refusals.say(exc, i18n.negotiate(request)), exc.status)
        return _promoters(request, "applied", refusal)
    return redirect(request, "/operator/promoters")


def _refusal_status(refused: Refused | None) -> int:
    return refused[2] if refused else 200


@router.get("/operator/rules")
def rules_page(request: Request, _: OperatorUser) -> Response:
    with read_session() as session:
        config = services.config_out(services.load_rules(session))
    return _rules(request, config.model_dump(), problems=[], saved=False)


def _rules(request: Request, values: dict[str, object], *, problems: list[str], saved: bool,
           errors: FieldErrors | None = None, typed: dict[str, str] | None = None,
           status_code: int = 200) -> Response:
    """The rules form: ``problems`` are the compliance reasons (of the whole configuration),
    ``errors`` the reasons of single fields (by input name), ``typed`` the percentages as
    typed when they are shown again."""
    return render(request, "operator/rules.html", {
        "values": values, "problems": problems, "saved": saved, "field_labels": FIELD_LABELS,
        "errors": errors or {}, "typed": typed or {},
        "numbers": RULE_NUMBERS, "flags": RULE_FLAGS, "percents": PERCENT_FIELDS,
        "forbidden_numbers": FORBIDDEN_NUMBERS, "forbidden_flags": FORBIDDEN_FLAGS},
        status_code=status_code)


@router.post("/operator/rules")
def save_rules(request: Request, _: OperatorUser, form: CheckedForm) -> Response:
    """Save the rules; a refused configuration shows every compliance reason in the form.
    Rates come as percentages (``level1_pct`` …; ``level1_bp`` … in basis points still read)."""
    values: dict[str, object] = {n: number(form, n) for n in (*RULE_NUMBERS, *FORBIDDEN_NUMBERS)}
    lang = i18n.negotiate(request)
    typed = {_pct(name): text(form, _pct(name), 12) for name in PERCENT_FIELDS}
    for name in PERCENT_FIELDS:
        try:
            values[name] = bp_from_percent(typed[_pct(name)]) if typed[_pct(name)] else values[name]
        except ValueError:
            problem = form_errors.say(FIELD_LABELS[name], rates.NOT_A_NUMBER, lang)
            return _rules(request, values, problems=[], saved=False, typed=typed,
                          errors={_pct(name): problem}, status_code=422)
    values |= {f: form.get(f) == "on" for f in (*RULE_FLAGS, *FORBIDDEN_FLAGS)}
    values["attribution_policy"] = text(form, "attribution_policy", 20) or "last_click"
    try:
        saved = services.save_config(ConfigIn.model_validate(values))
    except InvalidInput as exc:
        return _rules(request, values, problems=refusals.reasons(exc, i18n.negotiate(request)),
                      saved=False, status_code=422)
    except ValidationError as exc:
        errors = form_errors.by_field(exc, FIELD_LABELS, lang=lang,
                                      names={name: _pct(name) for name in PERCENT_FIELDS})
        return _rules(request, values, problems=[], saved=False, errors=errors, typed=typed,
                      status_code=422)
    return _rules(request, saved.model_dump(), problems=[], saved=True)


def _pct(name: str) -> str:
    """The form's field of a rate kept in basis points: ``level1_bp`` → ``level1_pct``."""
    return name.removesuffix("_bp") + "_pct"


@router.get("/operator/campaigns")
def campaigns_page(request: Request, user: OperatorUser, kind: str = "",
                   status: str = "") -> Response:
    return campaign_console.show(request, user, path="/operator/campaigns", kind=kind,
                                 status=status)


@router.post("/operator/campaigns/{kind}")
def create_campaign(request: Request, kind: str, user: OperatorUser,
                    form: CheckedForm) -> Response:
    return campaign_console.create(request, user, path="/operator/campaigns", kind=kind,
                                   form=form)


@router.get("/operator/payouts")
def payouts_page(request: Request, _: OperatorUser, status: str = "requested") -> Response:
    return _payouts(request, status)


def _payouts(request: Request, status: str, refused: Refused | None = None) -> Response:
    status = status if status in PAYOUT_STATUSES else "requested"
    with read_session() as session:
        items = payouts.list_payouts(session, status=status)
    return render(request, "operator/payouts.html", {
        "items": items, "status": status, "statuses": PAYOUT_STATUSES,
        "refused": refused or (0, "")}, status_code=_refusal_status(refused))


@router.post("/operator/payouts/{payout_id}/{decision}")
def decide_payout(request: Request, payout_id: int, decision: str, user: OperatorUser,
                  form: CheckedForm) -> Response:
    pid = _bounded(payout_id)
    try:
        if decision == "paid":
            payouts.mark_paid(payout_id=pid, operator_id=user.id)
        else:
            payouts.decide_payout(payout_id=pid, operator_id=user.id,
                                  approve=decision == "approve",
                                  note=text(form, "note", 255) or None)
    except (InvalidInput, Conflict) as exc:
        refusal = (pid, refusals.say(exc, i18n.negotiate(request)), exc.status)
        return _payouts(request, "approved" if decision == "paid" else "requested", refusal)
    return redirect(request, "/operator/payouts")


def _bounded(value: int) -> int:
    if not 1 <= value <= 2_147_483_647:
        raise NotFound("没有这条记录。")
    return value
