"""Pure rules of referral: compliance of the commission rules, rates, splits, attribution,
channels. No session, no clock: callers pass ``now``.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from quanzi.core.errors import InvalidInput
from quanzi.core.money import BP_SCALE, share_of

POLICIES = ("last_click", "binding")
# campaign kind → the page a share of it leads to (``/<page>/<id>``); ``group`` and
# ``bargain_run`` are one buyer's group or bargain, shared so that friends join or help
CAMPAIGN_PAGES = {"group_buy": "group-buys", "flash_sale": "flash", "bargain": "bargains",
                  "tiered": "tiered", "presale": "presales", "group": "groups",
                  "bargain_run": "bargain-runs"}
CAMPAIGN_KINDS = tuple(CAMPAIGN_PAGES)
PROMOTER_STATUSES = ("applied", "approved", "rejected")

LEVEL2_CAVEAT = (
    "二级佣金存在法律风险：《禁止传销条例》第七条把“团队计酬”（按下线的销售业绩计酬）列为传销行为，"
    "2022 年重庆已有两级分销模式被处罚。"
    "请确认只对真实售出给消费者的商品计佣，且绝不设第三级。"
    " / Level-2 commission is a legal risk: art. 7 of China's Regulations on Prohibiting Pyramid "
    "Selling (《禁止传销条例》) treats pay on a downline's sales (团队计酬) as pyramid selling, "
    "and a two-level scheme was fined in Chongqing in 2022. Pay only on goods sold to consumers, "
    "and never add a third level."
)


@dataclass(frozen=True)
class Rules:
    """The platform's referral settings (rates in basis points, 10000 = 100 %)."""

    attribution_policy: str = "last_click"
    window_days: int = 7
    binding_days: int = 30
    self_purchase_rebate: bool = False
    auto_approve: bool = False
    level1_bp: int = 1000
    level2_enabled: bool = False
    level2_bp: int = 0
    cap_bp: int = 2000

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    @property
    def binding_period(self) -> timedelta:
        return timedelta(days=self.binding_days)


RULE_FIELDS = tuple(f.name for f in fields(Rules))


@dataclass(frozen=True)
class Proposal:
    """Rules an operator asks for, with the fields the engine exists to refuse.

    ``level3_enabled``/``level3_bp``, ``entry_fee_fen``, ``purchase_required``/
    ``min_purchase_fen`` and ``recruit_reward_fen`` are accepted only so that
    ``check_compliance`` can refuse them by name.
    """

    rules: Rules = field(default_factory=Rules)
    level3_enabled: bool = False
    level3_bp: int = 0
    entry_fee_fen: int = 0
    purchase_required: bool = False
    min_purchase_fen: int = 0
    recruit_reward_fen: int = 0


def compliance_problems(proposal: Proposal) -> list[str]:
    """Every reason ``proposal`` breaks the law or the engine's rules (empty when fine)."""
    rules, problems = proposal.rules, []
    if proposal.level3_enabled or proposal.level3_bp > 0:
        problems.append("不允许第三级佣金 / a third commission level is never allowed "
                        "(《禁止传销条例》 art. 7)")
    if rules.level2_bp > rules.level1_bp:
        problems.append("二级佣金不得高于一级 / level 2 may not be higher than level 1")
    if rules.cap_bp > BP_SCALE:
        problems.append("佣金上限不得超过 100% / the commission cap may not exceed 100% (10000 bp)")
    if proposal.entry_fee_fen > 0:
        problems.append("成为推客不得收取费用 / becoming a promoter may not require a fee (入门费)")
    if proposal.purchase_required or proposal.min_purchase_fen > 0:
        problems.append("成为推客不得要求购买 / becoming a promoter may not require a purchase "
                        "(disguised entry fee)")
    if proposal.recruit_reward_fen > 0:
        problems.append("不得为拉人头付费 / nothing may be paid for recruiting (拉人头)")
    problems.extend(_shape_problems(rules))
    return problems


def _shape_problems(rules: Rules) -> list[str]:
    problems = []
    if rules.attribution_policy not in POLICIES:
        problems.append(f"attribution_policy must be one of {', '.join(POLICIES)}")
    if min(rules.level1_bp, rules.level2_bp, rules.cap_bp) < 0:
        problems.append("rates may not be negative")
    if rules.window_days < 1 or rules.binding_days < 1:
        problems.append("window_days and binding_days must be at least 1")
    return problems


def check_compliance(proposal: Proposal) -> str | None:
    """Refuse a non-compliant proposal (422, code ``non_compliant``) with every reason.

    Returns the legal caveat to show when the accepted rules turn level 2 on, else None.
    """
    problems = compliance_problems(proposal)
    if problems:
        raise InvalidInput("; ".join(problems), code="non_compliant")
    return LEVEL2_CAVEAT if proposal.rules.level2_enabled else None


def check_rate_override(level1_bp: int, level2_bp: int) -> None:
    """A per-category/product override obeys the same level rules (422 ``non_compliant``)."""
    if level2_bp > level1_bp:
        raise InvalidInput("二级佣金不得高于一级 / level 2 may not be higher than level 1",
                           code="non_compliant")
    if level1_bp > BP_SCALE:
        raise InvalidInput("佣金率不得超过 100% / a rate may not exceed 100%", code="non_compliant")


@dataclass(frozen=True)
class Rate:
    level1_bp: int
    level2_bp: int


def resolve_rate(rules: Rules, *, product_id: int | None, category: str | None,
                 by_product: dict[int, Rate], by_category: dict[str, Rate]) -> Rate:
    """Product override, else category override, else the default rates."""
    if product_id is not None and product_id in by_product:
        return by_product[product_id]
    if category is not None and category in by_category:
        return by_category[category]
    return Rate(rules.level1_bp, rules.level2_bp)


def split_line(amount_fen: int, rate: Rate, *, cap_bp: int, level2: bool) -> tuple[int, int]:
    """(level-1, level-2) commission of one line, rounded down; level 2 is 0 unless ``level2``.

    The total never exceeds ``share_of(amount_fen, cap_bp)``; level 2 is cut first.
    Example: ``split_line(10000, Rate(1500, 1000), cap_bp=2000, level2=True) == (1500, 500)``.
    """
    cap = share_of(amount_fen, min(cap_bp, BP_SCALE))
    first = min(share_of(amount_fen, rate.level1_bp), cap)
    second = share_of(amount_fen, rate.level2_bp) if level2 else 0
    return first, max(0, min(second, cap - first))


def remaining_after_refund(amount_fen: int, refunded_qty: int, line_qty: int) -> int:
    """What a commission of ``amount_fen`` is worth once ``refunded_qty`` of ``line_qty`` went back
    (rounded down, so a partial refund never leaves more than the proportional share)."""
    if line_qty <= 0 or not 0 <= refunded_qty <= line_qty:
        raise InvalidInput("refunded quantity must be between 0 and the line quantity")
    return amount_fen * (line_qty - refunded_qty) // line_qty


# --- attribution -------------------------------------------------------------------------

@dataclass(frozen=True)
class Touch:
    """A consumer's contact with a promoter's share at ``at`` (a click, or the order's code)."""

    share_id: int
    share_code: str
    promoter_id: int
    at: datetime


@dataclass(frozen=True)
class Bound:
    """A live or expired binding of a consumer to a promoter."""

    promoter_id: int
    share_id: int | None
    share_code: str | None
    expires_at: datetime


@dataclass(frozen=True)
class Credit:
    """Who an order is credited to; ``bind`` says a new binding must be stored for it."""

    touch: Touch
    bind: bool = False


def credit_order(rules: Rules, *, touch: Touch | None, first_touch: Touch | None,
                 binding: Bound | None, now: datetime) -> Credit | None:
    """Decide the attribution of an order placed at ``now``.

    * ``last_click``: the latest touch (``touch``) if it is within the window, else nobody.
    * ``binding``: a live binding wins over any touch (a later share by another promoter
      does not steal the customer); without one, the promoter who first brought the
      consumer within the binding period (``first_touch``, else ``touch`` within the
      window) gets the order and a new binding.
    """
    fresh = touch if touch is not None and now - touch.at <= rules.window else None
    if rules.attribution_policy == "last_click":
        return Credit(fresh) if fresh else None
    if binding is not None and binding.expires_at > now:
        return Credit(Touch(binding.share_id or 0, binding.share_code or "",
                            binding.promoter_id, now))
    if first_touch is not None and now - first_touch.at <= rules.binding_period:
        return Credit(first_touch, bind=True)
    return Credit(fresh, bind=True) if fresh else None


def self_purchase_allowed(rules: Rules, *, buyer_id: int, promoter_id: int) -> bool:
    """A promoter buying through their own share is credited only with the rebate flag on."""
    return buyer_id != promoter_id or rules.self_purchase_rebate


# --- channels ----------------------------------------------------------------------------

_PREVIEW_BOTS = ("facebookexternalhit", "twitterbot", "slackbot", "telegrambot", "whatsapp",
                 "discordbot", "preview", "linkedinbot", "skypeuripreview")


def is_preview(user_agent: str) -> bool:
    """A link-preview crawler (counted as a preview, never as a click)."""
    lowered = user_agent.lower()
    return any(bot in lowered for bot in _PREVIEW_BOTS)


def is_wechat(user_agent: str) -> bool:
    """Opened inside WeChat: its in-app browser names itself ``MicroMessenger`` (any case).

    The one test of the channel: share clicks (``channel_for``) and the help switch
    (``campaigns.domain.helps_off``) both use it."""
    return "micromessenger" in user_agent.lower()


def channel_for(user_agent: str) -> str:
    """``wechat``, ``qq``, ``weibo``, ``douyin`` or ``browser``, guessed from the user agent."""
    if is_wechat(user_agent):
        return "wechat"
    if "QQ/" in user_agent:
        return "qq"
    lowered = user_agent.lower()
    if "weibo" in lowered:
        return "weibo"
    if "aweme" in lowered or "douyin" in lowered:
        return "douyin"
    return "browser"


def target_path(kind: str, target_id: int, *, shop_code: str | None = None,
                campaign_kind: str | None = None) -> str:
    """The page a share leads to."""
    if kind == "product":
        return f"/p/{target_id}"
    if kind == "shop":
        return f"/shop/{shop_code}"
    return f"/{CAMPAIGN_PAGES.get(campaign_kind or '', 'campaigns')}/{target_id}"
