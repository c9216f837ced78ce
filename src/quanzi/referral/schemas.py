"""Request and response shapes of referral."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quanzi.core.ids import MAX_ID
from quanzi.core.urls import WebUrl

Bp = Field(ge=0, le=1_000_000)  # wide on purpose: the compliance check refuses with a reason
DbId = Field(ge=1, le=2_147_483_647)


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invite_code: str | None = Field(default=None, min_length=1, max_length=16)


class PromoterOut(BaseModel):
    id: int
    user_id: int
    status: str
    invite_code: str | None
    inviter_id: int | None
    reject_reason: str | None
    created_at: datetime


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=255)


class ShopIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    avatar_url: WebUrl | None = None


class ShopItemsIn(BaseModel):
    """The shop's products, in display order (replaces the previous list)."""

    model_config = ConfigDict(extra="forbid")

    product_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=200)


class ShopItemOut(BaseModel):
    product_id: int
    title: str
    price_fen: int
    image: str | None
    url: str


class ShopOut(BaseModel):
    code: str
    name: str
    avatar_url: str | None
    url: str
    share_code: str | None
    items: list[ShopItemOut]


class ShareIn(BaseModel):
    """Exactly one of: ``product_id``, ``shop: true``, or ``campaign_kind`` + ``campaign_id``."""

    model_config = ConfigDict(extra="forbid")

    product_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    shop: bool = False
    campaign_kind: Literal["group_buy", "flash_sale", "bargain", "tiered", "presale", "group",
                           "bargain_run"] | None = None
    campaign_id: int | None = Field(default=None, ge=1, le=2_147_483_647)

    @model_validator(mode="after")
    def _one_target(self) -> "ShareIn":
        chosen = [self.product_id is not None, self.shop,
                  self.campaign_kind is not None or self.campaign_id is not None]
        if sum(chosen) != 1:
            raise ValueError(
                "give exactly one of product_id, shop: true, campaign_kind+campaign_id")
        if (self.campaign_kind is None) != (self.campaign_id is None):
            raise ValueError("a campaign share needs both campaign_kind and campaign_id")
        return self


class ShareOut(BaseModel):
    code: str
    url: str
    token: str
    poster_url: str


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


class ResolveOut(BaseModel):
    code: str
    target_url: str


class RulesFields(BaseModel):
    attribution_policy: Literal["last_click", "binding"] = "last_click"
    window_days: int = Field(default=7, ge=1, le=365)
    binding_days: int = Field(default=30, ge=1, le=3650)
    self_purchase_rebate: bool = False
    auto_approve: bool = False
    level1_bp: int = Bp
    level2_enabled: bool = False
    level2_bp: int = Bp
    cap_bp: int = Bp


class ConfigIn(RulesFields):
    """The rules to apply. The ``level3_*``, fee, purchase and recruiting fields exist only so
    the engine can refuse them explicitly (422 ``non_compliant``)."""

    model_config = ConfigDict(extra="forbid")

    level1_bp: int = Field(default=1000, ge=0, le=1_000_000)
    level2_bp: int = Field(default=0, ge=0, le=1_000_000)
    cap_bp: int = Field(default=2000, ge=0, le=1_000_000)
    level3_enabled: bool = False
    level3_bp: int = Field(default=0, ge=0, le=1_000_000)
    entry_fee_fen: int = Field(default=0, ge=0, le=10**12)
    purchase_required: bool = False
    min_purchase_fen: int = Field(default=0, ge=0, le=10**12)
    recruit_reward_fen: int = Field(default=0, ge=0, le=10**12)


class ConfigOut(RulesFields):
    warning: str | None = None


class RateIn(BaseModel):
    """An override for one category or one product (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, min_length=1, max_length=40)
    product_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    level1_bp: int = Field(ge=0, le=1_000_000)
    level2_bp: int = Field(default=0, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _one_scope(self) -> "RateIn":
        if (self.category is None) == (self.product_id is None):
            raise ValueError("give exactly one of category or product_id")
        return self


class RatesIn(BaseModel):
    """The complete set of overrides (replaces the previous set)."""

    model_config = ConfigDict(extra="forbid")

    rates: list[RateIn] = Field(max_length=500)


class RateOut(BaseModel):
    category: str | None
    product_id: int | None
    level1_bp: int
    level2_bp: int


class RatesOut(BaseModel):
    rates: list[RateOut]


class ShareStats(BaseModel):
    code: str
    target_kind: str
    target_id: int
    clicks: int
    orders: int
    gmv_fen: int
    commission_fen: int


class TeamMember(BaseModel):
    user_id: int
    name: str
    status: str
    orders: int
    gmv_fen: int
    my_commission_fen: int


class StatsOut(BaseModel):
    clicks: int
    previews: int
    visitors: int
    orders: int
    gmv_fen: int
    commissions_fen: dict[str, int]
    shares: list[ShareStats]
    team: list[TeamMember]


class CommissionOut(BaseModel):
    id: int
    order_id: int
    order_line_id: int
    level: int
    kind: str = "promoter"  # or "leader": a 团长's commission on their pickup point's order
    rate_bp: int
    amount_fen: int
    net_fen: int
    status: str
    created_at: datetime
    settled_at: datetime | None


class CommissionPage(BaseModel):
    items: list[CommissionOut]
    next_cursor: str | None
