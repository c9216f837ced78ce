"""Request and response shapes of the campaigns (amounts in fen, times ISO 8601 with a zone)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Fen = Annotated[int, Field(ge=0, le=100_000_000)]  # up to ¥1,000,000
PositiveFen = Annotated[int, Field(ge=1, le=100_000_000)]
SkuId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Duration = Annotated[int, Field(ge=60, le=30 * 24 * 3600)]  # one minute to 30 days


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- flash sale ---------------------------------------------------------------------


class FlashSaleCreate(_In):
    sku_id: SkuId
    price_fen: Fen
    stock: int = Field(ge=1, le=1_000_000)
    per_user_limit: int = Field(ge=1, le=1000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class FlashSaleRead(BaseModel):
    id: int
    sku_id: int
    price_fen: int
    stock: int
    stock_left: int
    per_user_limit: int
    starts_at: datetime
    ends_at: datetime
    status: Literal["not_started", "active", "sold_out", "ended"]


# --- group buy ----------------------------------------------------------------------


class GroupBuyCreate(_In):
    sku_id: SkuId
    price_fen: Fen
    group_size: int = Field(ge=2, le=100)
    duration_s: Duration
    per_user_limit: int = Field(default=1, ge=1, le=100)
    max_groups: int | None = Field(default=None, ge=1, le=1_000_000)
    auto_complete: bool = False
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class GroupBuyRead(BaseModel):
    id: int
    sku_id: int
    price_fen: int
    group_size: int
    duration_s: int
    per_user_limit: int
    max_groups: int | None
    groups_opened: int
    auto_complete: bool
    starts_at: datetime
    ends_at: datetime | None
    status: Literal["not_started", "active", "ended"]


class GroupRead(BaseModel):
    id: int
    group_buy_id: int
    status: Literal["open", "succeeded", "failed"]
    group_size: int
    members: int
    paid_members: int
    seats_left: int
    price_fen: int
    auto_complete: bool
    expires_at: datetime
    joinable: bool


# --- bargain ------------------------------------------------------------------------


class BargainCreate(_In):
    sku_id: SkuId
    start_price_fen: PositiveFen
    floor_price_fen: Fen
    helps_needed: int = Field(ge=1, le=1000)
    helps_needed_max: int | None = Field(default=None, ge=1, le=1000,
                                         description="draw each run's helps in "
                                                     "helps_needed..helps_needed_max")
    duration_s: Duration
    helps_per_user_per_day: int = Field(default=3, ge=1, le=100)
    allow_in_wechat: bool = False
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None


class BargainRead(BaseModel):
    id: int
    sku_id: int
    start_price_fen: int
    floor_price_fen: int
    helps_needed: int
    helps_needed_max: int
    duration_s: int
    helps_per_user_per_day: int
    allow_in_wechat: bool
    starts_at: datetime
    ends_at: datetime | None


class BargainStarted(BaseModel):
    bargain_run_id: int
    commitment: str
    current_price_fen: int
    helps_remaining: int
    expires_at: datetime


class HelpResult(BaseModel):
    cut_fen: int
    current_price_fen: int
    helps_remaining: int


class BargainRunRead(BaseModel):
    id: int
    bargain_id: int
    owner_id: int
    status: Literal["active", "floor_reached", "bought", "expired"]
    start_price_fen: int
    floor_price_fen: int
    current_price_fen: int
    helps_done: int
    helps_remaining: int
    expires_at: datetime
    commitment: str
    salt: str | None = None
    cuts_fen: list[int] | None = None


# --- tiered deal --------------------------------------------------------------------


class TierIn(_In):
    min_participants: int = Field(ge=1, le=1_000_000)
    price_fen: PositiveFen


class TieredDealCreate(_In):
    sku_id: SkuId
    tiers: list[TierIn] = Field(min_length=1, max_length=20)
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class TierOut(BaseModel):
    min_participants: int
    price_fen: int


class TieredDealRead(BaseModel):
    id: int
    sku_id: int
    tiers: list[TierOut]
    starts_at: datetime
    ends_at: datetime
    participants: int
    current_price_fen: int
    next_tier: TierOut | None
    status: Literal["not_started", "active", "ended", "closed"]
    final_price_fen: int | None


# --- presale ------------------------------------------------------------------------


class PresaleCreate(_In):
    sku_id: SkuId
    price_fen: PositiveFen
    deposit_fen: PositiveFen
    deposit_worth_fen: PositiveFen
    deposit_starts_at: AwareDatetime
    deposit_ends_at: AwareDatetime
    balance_starts_at: AwareDatetime
    balance_ends_at: AwareDatetime
    unpaid_balance_rule: Literal["forfeit_deposit", "refund_deposit"] = "forfeit_deposit"


class PresaleRead(BaseModel):
    id: int
    sku_id: int
    price_fen: int
    deposit_fen: int
    deposit_worth_fen: int
    balance_fen: int
    deposit_starts_at: datetime
    deposit_ends_at: datetime
    balance_starts_at: datetime
    balance_ends_at: datetime
    unpaid_balance_rule: Literal["forfeit_deposit", "refund_deposit"]
    unpaid_balance_rule_text: str
    phase: Literal["not_started", "deposit", "waiting_balance", "balance", "ended"]


# --- the list of every kind (listing.py) --------------------------------------------

CampaignKind = Literal["flash_sale", "group_buy", "bargain", "tiered", "presale"]
CampaignStatus = Literal["upcoming", "live", "ended"]


class CampaignItem(BaseModel):
    """One campaign of any kind. ``price_fen`` is what it charges: the flash, group or
    presale price, the bargain's floor (砍到底价), the tiered deal's current tier.
    ``starts_at``..``ends_at`` is the window to take part in (a presale's deposit window);
    ``ends_at`` is null for a group buy or bargain that runs until stopped."""

    kind: CampaignKind
    id: int
    sku_id: int
    product_id: int
    supplier_id: int
    title: str
    spec: str
    image: str | None
    price_fen: int
    list_price_fen: int
    status: CampaignStatus
    starts_at: datetime
    ends_at: datetime | None
    group_size: int | None = None
    deposit_fen: int | None = None


class CampaignList(BaseModel):
    items: list[CampaignItem]
