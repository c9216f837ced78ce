"""Request and response shapes of campaign buys."""

from pydantic import BaseModel, ConfigDict, Field

from quanzi.orders.schemas import AddressIn, OrderOut, ShareCode


class FlashBuyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(default=1, ge=1, le=99)
    address: AddressIn
    share_code: str | None = ShareCode


class SeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: AddressIn
    share_code: str | None = ShareCode


class BargainBuyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: AddressIn
    share_code: str | None = ShareCode


class SeatOut(BaseModel):
    group_id: int
    order: OrderOut


class QuantityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(default=1, ge=1, le=99)
    address: AddressIn
    share_code: str | None = ShareCode
