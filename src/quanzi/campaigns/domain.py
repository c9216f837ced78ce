"""Pure rules of the campaigns: no session, no clock (every function is given ``now``).

Refusals are returned as the API's stable error codes (``not_started``, ``ended``,
``sold_out``, ``limit_reached``, ``group_full``, ``already_joined``, ``already_helped``);
configuration mistakes raise ``InvalidInput`` with a reason.
"""

import hashlib
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from typing import Literal

from quanzi.core.errors import InvalidInput

CHINA_TZ = timezone(timedelta(hours=8))
MAX_HELPS = 1000


# --- time windows -------------------------------------------------------------------


WindowRefusal = Literal["not_started", "ended"]
FlashStatus = Literal["not_started", "active", "sold_out", "ended"]
PresalePhase = Literal["not_started", "deposit", "waiting_balance", "balance", "ended"]


def window_refusal(starts_at: datetime, ends_at: datetime | None,
                   now: datetime) -> WindowRefusal | None:
    """``not_started`` before ``starts_at``, ``ended`` from ``ends_at`` on, else None."""
    if now < starts_at:
        return "not_started"
    if ends_at is not None and now >= ends_at:
        return "ended"
    return None


def check_window(starts_at: datetime, ends_at: datetime | None) -> None:
    """A configured window must end after it starts."""
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("ends_at must be after starts_at")


def check_amounts(max_fen: int, **amounts: int) -> None:
    """Every price or deposit at most ``max_fen`` (``QUANZI_MAX_ORDER_FEN``): a campaign
    may not offer what no order could be placed for. 422 ``amount_too_large``."""
    for name, amount in amounts.items():
        if amount > max_fen:
            raise InvalidInput(f"{name} may not exceed {max_fen} fen", code="amount_too_large")


def china_day(now: datetime) -> date:
    """The calendar day in China (UTC+8) that ``now`` falls on: daily limits reset at 00:00."""
    return now.astimezone(CHINA_TZ).date()


# --- flash sale ---------------------------------------------------------------------


def flash_status(starts_at: datetime, ends_at: datetime, stock_left: int, now: datetime,
                 ended_at: datetime | None = None) -> FlashStatus:
    """``not_started`` | ``active`` | ``sold_out`` | ``ended``; the window wins over stock."""
    refusal = window_refusal(starts_at, ends_at, now)
    if refusal == "not_started":
        return "not_started"
    if refusal == "ended" or (ended_at is not None and ended_at <= now):
        return "ended"
    return "sold_out" if stock_left <= 0 else "active"


# --- bargain (砍价) -----------------------------------------------------------------


def plan_cuts(total_fen: int, helps: int, rng: random.Random) -> list[int]:
    """``helps`` positive integer cuts summing exactly to ``total_fen``, largest first.

    Each helper's share is drawn at random with weights that shrink along the sequence
    (the first friends cut most, like real 砍价), every cut is at least 1 fen.

    >>> cuts = plan_cuts(1000, 5, random.Random(1)); sum(cuts), len(cuts), min(cuts) >= 1
    (1000, 5, True)
    """
    if helps < 1 or total_fen < helps:
        raise ValueError("need 1 <= helps <= total_fen (every cut is at least 1 fen)")
    weights = [rng.randint(500_000, 1_500_000) // (index + 1) for index in range(helps)]
    spare = total_fen - helps  # what is left once every cut has its 1 fen
    scale = sum(weights)  # integers throughout: no float can push the sum off by a fen
    shares = [spare * weight // scale for weight in weights]
    for index in range(spare - sum(shares)):  # floor remainder: < helps fen, spread in order
        shares[index % helps] += 1
    return sorted((1 + share for share in shares), reverse=True)


@dataclass(frozen=True)
class RunPlan:
    """A run's whole committed cut sequence; its first ``applied`` cuts are the starter's
    own, applied when the run starts (the rest wait for friends, one cut per help)."""

    cuts_fen: list[int]
    applied: int


def plan_run(total_fen: int, helps: int, rng: random.Random) -> RunPlan:
    """The cuts of a new run: the starter gets the first cut, as buyers expect of 砍价.

    ``helps + 1`` cuts (the starter's first, the largest) when every cut can still be at
    least 1 fen, else ``helps`` cuts and none for the starter. Either way ``helps``
    friends are still needed and the commitment covers every cut, the starter's too.

    >>> plan = plan_run(1000, 3, random.Random(1)); len(plan.cuts_fen), plan.applied
    (4, 1)
    >>> plan_run(3, 3, random.Random(1))
    RunPlan(cuts_fen=[1, 1, 1], applied=0)
    """
    if total_fen > helps:
        return RunPlan(plan_cuts(total_fen, helps + 1, rng), 1)
    return RunPlan(plan_cuts(total_fen, helps, rng), 0)


def new_salt() -> str:
    """A fresh random salt (128 bits, hex) for a bargain's commitment."""
    return secrets.token_hex(16)


def commitment(salt: str, cuts_fen: Sequence[int]) -> str:
    """``sha256(salt + ":" + ",".join(str(c) for c in cuts_fen))`` as lowercase hex (API.md)."""
    text = salt + ":" + ",".join(str(cut) for cut in cuts_fen)
    return hashlib.sha256(text.encode()).hexdigest()


def verify_commitment(value: str, salt: str, cuts_fen: Sequence[int]) -> bool:
    return secrets.compare_digest(value, commitment(salt, cuts_fen))


def check_bargain(start_price_fen: int, floor_price_fen: int, helps_min: int,
                  helps_max: int) -> None:
    """A bargain needs 0 <= floor < start and 1 <= helps_min <= helps_max <= start − floor."""
    if not 0 <= floor_price_fen < start_price_fen:
        raise InvalidInput("floor_price_fen must be at least 0 and below start_price_fen")
    if not 1 <= helps_min <= helps_max <= MAX_HELPS:
        raise InvalidInput(f"helps needed must be between 1 and {MAX_HELPS}, min <= max")
    if helps_max > start_price_fen - floor_price_fen:
        raise InvalidInput("more helps than fen to cut: each help cuts at least 1 fen")


def price_after(start_price_fen: int, cuts_fen: Sequence[int], helps_done: int) -> int:
    """The price once the first ``helps_done`` cuts are applied."""
    return start_price_fen - sum(cuts_fen[:helps_done])


def run_status(stored: str, expires_at: datetime, now: datetime) -> str:
    """The status a run shows: an ``active`` run past its expiry is ``expired``."""
    if stored == "active" and now >= expires_at:
        return "expired"
    return stored


def helps_off(*, allow_in_wechat: bool, in_wechat: bool) -> bool:
    """Friends' helps are kept out of this channel: the bargain does not allow them inside
    WeChat (whose rules ban inducing shares through friend help) and it is WeChat."""
    return in_wechat and not allow_in_wechat


@dataclass(frozen=True)
class HelpContext:
    """What the rules need to decide on one help."""

    status: str  # the run's shown status (see ``run_status``)
    is_owner: bool
    already_helped: bool


def help_refusal(ctx: HelpContext) -> str | None:
    """Why this help is refused, or None. ``forbidden`` (the owner) is a 403, the rest 409:
    ``floor_reached`` once the run is at its floor (nothing left to cut), ``ended`` when
    it expired or was bought, ``already_helped``.

    The daily per-user limit is enforced by a counter (``limit_reached``), not here.
    """
    if ctx.is_owner:
        return "forbidden"
    if ctx.status == "floor_reached":
        return "floor_reached"
    if ctx.status != "active":
        return "ended"
    if ctx.already_helped:
        return "already_helped"
    return None


# --- group buy (拼团) ---------------------------------------------------------------


@dataclass(frozen=True)
class JoinContext:
    """A group, its group buy, and the user who wants a seat."""

    starts_at: datetime
    ends_at: datetime | None
    group_status: str
    group_expires_at: datetime
    member_count: int
    group_size: int
    already_member: bool
    user_seats: int
    per_user_limit: int


def join_refusal(ctx: JoinContext, now: datetime) -> str | None:
    """Why the user may not take a seat now, or None.

    Order: the campaign window, the group's own state and expiry, a full group, the user
    already in it, then the per-user limit.
    """
    refusal = window_refusal(ctx.starts_at, ctx.ends_at, now)
    if refusal:
        return refusal
    if ctx.group_status != "open" or now >= ctx.group_expires_at:
        return "ended"
    if ctx.member_count >= ctx.group_size:
        return "group_full"
    if ctx.already_member:
        return "already_joined"
    if ctx.user_seats >= ctx.per_user_limit:
        return "limit_reached"
    return None


def check_group_buy(group_size: int, duration_s: int, per_user_limit: int,
                    max_groups: int | None) -> None:
    if not 2 <= group_size <= 100:
        raise InvalidInput("group_size must be between 2 and 100")
    if duration_s < 60:
        raise InvalidInput("a group stays open at least 60 seconds")
    if per_user_limit < 1 or (max_groups is not None and max_groups < 1):
        raise InvalidInput("per_user_limit and max_groups must be at least 1")


# --- tiered deal (阶梯团) -----------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    min_participants: int
    price_fen: int


def validate_tiers(tiers: Sequence[Tier]) -> list[Tier]:
    """Tiers start at 1 participant, thresholds strictly rise, prices strictly fall (> 0)."""
    if not tiers:
        raise InvalidInput("give at least one tier")
    if tiers[0].min_participants != 1:
        raise InvalidInput("the first tier starts at 1 participant")
    for tier in tiers:
        if tier.price_fen <= 0:
            raise InvalidInput("every tier price must be positive")
    for lower, upper in pairwise(tiers):
        if upper.min_participants <= lower.min_participants:
            raise InvalidInput("min_participants must strictly increase")
        if upper.price_fen >= lower.price_fen:
            raise InvalidInput("tier prices must strictly decrease")
    return list(tiers)


def current_tier_price(tiers: Sequence[Tier], participants: int) -> int:
    """The price of the highest tier reached by ``participants`` (the first tier below 1)."""
    price = tiers[0].price_fen
    for tier in tiers:
        if participants >= tier.min_participants:
            price = tier.price_fen
    return price


def next_tier(tiers: Sequence[Tier], participants: int) -> Tier | None:
    """The next price drop: the first tier above the current one, or None at the last."""
    reached = max(participants, 1)
    return next((tier for tier in tiers if tier.min_participants > reached), None)


def refund_due(paid_fen_per_unit: int, final_price_fen: int, quantity: int) -> int:
    """What a participant gets back when the deal closes at ``final_price_fen`` (never < 0)."""
    return max(0, paid_fen_per_unit - final_price_fen) * quantity


# --- presale (预售) -----------------------------------------------------------------

UNPAID_BALANCE_RULES = ("forfeit_deposit", "refund_deposit")


@dataclass(frozen=True)
class PresaleWindows:
    deposit_starts_at: datetime
    deposit_ends_at: datetime
    balance_starts_at: datetime
    balance_ends_at: datetime


def check_presale(price_fen: int, deposit_fen: int, deposit_worth_fen: int,
                  windows: PresaleWindows, unpaid_balance_rule: str) -> None:
    """0 < deposit <= worth <= price; deposit window, then (not before its end) balance window."""
    if not 0 < deposit_fen <= deposit_worth_fen <= price_fen:
        raise InvalidInput("need 0 < deposit_fen <= deposit_worth_fen <= price_fen")
    if not windows.deposit_starts_at < windows.deposit_ends_at:
        raise InvalidInput("deposit_ends_at must be after deposit_starts_at")
    if not windows.deposit_ends_at <= windows.balance_starts_at < windows.balance_ends_at:
        raise InvalidInput("the balance window opens after the deposit window and must end "
                           "after it opens")
    if unpaid_balance_rule not in UNPAID_BALANCE_RULES:
        raise InvalidInput(f"unpaid_balance_rule must be one of {', '.join(UNPAID_BALANCE_RULES)}")


def balance_due(price_fen: int, deposit_worth_fen: int) -> int:
    """The balance after the deposit's worth (定金膨胀) is taken off; never below 0."""
    return max(0, price_fen - deposit_worth_fen)


def presale_phase(windows: PresaleWindows, now: datetime) -> PresalePhase:
    """``not_started`` | ``deposit`` | ``waiting_balance`` | ``balance`` | ``ended``."""
    if now < windows.deposit_starts_at:
        return "not_started"
    if now < windows.deposit_ends_at:
        return "deposit"
    if now < windows.balance_starts_at:
        return "waiting_balance"
    if now < windows.balance_ends_at:
        return "balance"
    return "ended"


def deposit_refusal(windows: PresaleWindows, now: datetime) -> str | None:
    return window_refusal(windows.deposit_starts_at, windows.deposit_ends_at, now)


def balance_refusal(windows: PresaleWindows, now: datetime) -> str | None:
    return window_refusal(windows.balance_starts_at, windows.balance_ends_at, now)
