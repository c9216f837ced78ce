"""Request and response shapes of community buying (the contract in API.md)."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializeAsAny

from quanzi.orders.schemas import MAX_LINES, OrderItemIn, ShareCode

Id = Field(ge=1, le=2_147_483_647)


class PointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    province: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=20)
    district: str = Field(min_length=1, max_length=20)
    community: str = Field(min_length=1, max_length=60)
    address: str = Field(min_length=1, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lng: float | None = Field(default=None, ge=-180, le=180)
    opening_hours: str | None = Field(default=None, max_length=60)


class LeaderApply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    point: PointIn


class LeaderReject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=255)


class ApplicationOut(BaseModel):
    id: int
    status: str
    pickup_point_id: int | None = None
    reason: str | None = None


class PointOut(BaseModel):
    id: int
    name: str
    province: str
    city: str
    district: str
    community: str
    address: str
    opening_hours: str | None
    leader_name: str
    status: str


class NearPointOut(PointOut):
    """A point found around the buyer: how far it is, in metres."""

    distance_m: int


class ApplicationRow(BaseModel):
    """An application as operators review it."""

    id: int
    status: str
    reason: str | None
    pickup_point_id: int
    user_id: int
    user_name: str
    created_at: datetime
    point: PointOut


class ApplicationList(BaseModel):
    items: list[ApplicationRow]


class PointList(BaseModel):
    items: list[SerializeAsAny[PointOut]]


class ChosenPointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pickup_point_id: int = Id


class ChosenPointOut(BaseModel):
    pickup_point_id: int | None


class MyPointOut(BaseModel):
    """The buyer's chosen point (both null before they choose one)."""

    pickup_point_id: int | None
    point: PointOut | None


class BatchItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku_id: int = Id
    price_fen: int = Field(ge=0, le=100_000_000)
    stock: int = Field(ge=1, le=1_000_000)
    min_qty_per_point: int | None = Field(default=None, ge=1, le=1_000_000)


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=80)
    opens_at: AwareDatetime
    cuts_off_at: AwareDatetime
    pickup_from: AwareDatetime
    leader_rate_bps: int = Field(ge=0, le=10_000)
    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_LINES)


class LeaderRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    leader_rate_bps: int = Field(ge=0, le=10_000)


class BatchItemOut(BaseModel):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec: str
    price_fen: int
    stock: int
    stock_left: int
    min_qty_per_point: int | None


class BatchOut(BaseModel):
    id: int
    title: str
    status: str
    supplier_id: int
    opens_at: datetime
    cuts_off_at: datetime
    pickup_from: datetime
    leader_rate_bps: int
    items: list[BatchItemOut]


class BatchList(BaseModel):
    items: list[BatchOut]


class BatchOrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[OrderItemIn] = Field(min_length=1, max_length=MAX_LINES)
    pickup_point_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    share_code: str | None = ShareCode


class SkuQuantity(BaseModel):
    sku_id: int
    title: str = ""
    spec: str = ""
    quantity: int


class PointPickList(BaseModel):
    pickup_point_id: int
    name: str
    items: list[SkuQuantity]
    # once dispatched: when the leader recorded the goods, or (None) the instant after which
    # the point's waiting orders are refunded if they are still not recorded
    arrived_at: datetime | None = None
    arrival_due_by: datetime | None = None


class PickList(BaseModel):
    batch_id: int
    items: list[SkuQuantity]
    points: list[PointPickList]


class NoteLine(BaseModel):
    position: int
    order_id: int
    buyer_name: str
    phone_tail: str
    sku_id: int
    title: str
    spec: str
    quantity: int


class DispatchNote(BaseModel):
    batch_id: int
    pickup_point_id: int
    name: str
    address: str
    lines: list[NoteLine]


class DispatchNoteList(BaseModel):
    """A batch's dispatch notes, one per pickup point, in handing-out order."""

    items: list[DispatchNote]


class ArrivalOut(BaseModel):
    batch_id: int
    pickup_point_id: int
    arrived_at: datetime


class LeaderOrderLine(BaseModel):
    sku_id: int
    title: str
    spec: str
    quantity: int


class LeaderOrder(BaseModel):
    order_id: int
    buyer_name: str
    phone_tail: str
    lines: list[LeaderOrderLine]
    picked_up: bool
    refund_pending: bool


class LeaderOrderList(BaseModel):
    batch_id: int
    pickup_point_id: int
    arrived: bool
    # dispatched, goods not recorded yet: after this instant the waiting orders are refunded
    arrival_due_by: datetime | None = None
    items: list[LeaderOrder]


class PickupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32)
