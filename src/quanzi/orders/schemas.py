"""Request and response shapes of orders."""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from quanzi.accounts.schemas import AddressFields

MAX_LINES = 50
MAX_QUANTITY = 999


class OrderItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku_id: int = Field(ge=1, le=2_147_483_647)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class AddressIn(AddressFields):
    """A delivery address as written on the order (a snapshot, not a reference)."""


ShareCode = Field(default=None, min_length=1, max_length=64)


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[OrderItemIn] = Field(min_length=1, max_length=MAX_LINES)
    address: AddressIn | None = None
    address_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    share_code: str | None = ShareCode

    @model_validator(mode="after")
    def _address(self) -> "OrderCreate":
        if (self.address is None) == (self.address_id is None):
            raise ValueError("give either address or address_id")
        return self


class OrderLineOut(BaseModel):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec: str
    quantity: int
    price_fen: int
    refunded_quantity: int
    refunded_fen: int


class OrderOut(BaseModel):
    id: int
    status: str
    buyer_id: int
    supplier_id: int
    kind: str
    campaign_ref: str | None
    # why a paid order may not ship yet (``group_not_formed``: its 拼团 is still forming)
    hold: str | None = None
    total_fen: int
    deposit_fen: int | None = None
    balance_from: datetime | None = None
    refunded_fen: int
    lines: list[OrderLineOut]
    address: dict[str, Any]
    attribution: dict[str, Any] | None
    carrier: str | None
    tracking_no: str | None
    created_at: datetime
    pay_deadline: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    settled_at: datetime | None
    # a community batch order: where it is collected, and (to its buyer, once paid) the code
    pickup_point_id: int | None = None
    pickup_code: str | None = None


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


COMMON_CARRIERS = ("顺丰", "中通", "圆通", "韵达", "申通", "极兔", "京东", "EMS", "邮政")
_TYPED_SEPARATORS = re.compile(r"[\s\-－—–]+")


class ShipIn(BaseModel):
    """``carrier`` is free text (the pages offer ``COMMON_CARRIERS``); ``tracking_no`` is
    taken as people type it: spaces and dashes are dropped and letters upper-cased, so
    ``"sf 1234-5678"`` is stored as ``"SF12345678"``."""

    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(min_length=1, max_length=40)
    tracking_no: str = Field(min_length=4, max_length=64, pattern=r"^[A-Z0-9]+$")

    @field_validator("tracking_no", mode="before")
    @classmethod
    def _as_typed(cls, value: object) -> object:
        return _TYPED_SEPARATORS.sub("", value).upper() if isinstance(value, str) else value


class RefundLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: int = Field(ge=1, le=2_147_483_647)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


RefundReasonCode = Literal["unwanted", "wrong_order", "not_as_described", "quality",
                           "missing_items", "not_received", "other"]


class RefundCreate(BaseModel):
    """A refund request. ``reason`` is the buyer's words (required, as ever); ``reason_code``
    one of ``orders.domain.REFUND_REASONS``; ``photo_ids`` photos uploaded for this order
    with ``POST /orders/{id}/refund-photos`` (at most 3: more is 422 ``too_many_photos``)."""

    model_config = ConfigDict(extra="forbid")

    lines: list[RefundLineIn] = Field(min_length=1, max_length=MAX_LINES)
    reason: str = Field(min_length=1, max_length=255)
    reason_code: RefundReasonCode | None = None
    photo_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=20)


class RefundPhotoOut(BaseModel):
    """A photo attached to a refund request; ``url`` serves it to the buyer, the order's
    supplier and operators."""

    id: int
    url: str
    width: int
    height: int


class RefundDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=255)


class RefundOut(BaseModel):
    id: int
    order_id: int
    status: str
    amount_fen: int
    reason: str
    reason_code: str | None = None
    lines: list[dict[str, int]]
    decision_note: str | None
    created_at: datetime
    decided_at: datetime | None
    decide_by: datetime | None = None  # a request left to the seller: approved after this
    photos: list[RefundPhotoOut] = Field(default_factory=list)


class RefundList(BaseModel):
    items: list[RefundOut]
