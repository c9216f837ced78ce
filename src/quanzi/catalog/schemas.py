"""Request and response shapes of the catalog."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from quanzi.catalog.domain import MAX_ID, MAX_PRICE_FEN, MAX_SKUS, MAX_STOCK
from quanzi.core.urls import WebUrl

SupplierName = Annotated[str, Field(min_length=1, max_length=100)]
FeeBp = Annotated[int, Field(ge=0, le=10_000)]
Title = Annotated[str, Field(min_length=1, max_length=120)]
Description = Annotated[str, Field(max_length=5000)]
Category = Annotated[str, Field(min_length=1, max_length=40)]
Spec = Annotated[str, Field(min_length=1, max_length=60)]
PriceFen = Annotated[int, Field(ge=0, le=MAX_PRICE_FEN)]
Stock = Annotated[int, Field(ge=0, le=MAX_STOCK)]
ImageUrl = Annotated[WebUrl, Field(pattern=r"^(/media/|https?://)")]  # uploads or the web
Images = Annotated[list[ImageUrl], Field(max_length=9)]

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _no_nulls(data: object, fields: tuple[str, ...]) -> object:
    """Refuse an explicit ``null`` for fields that may be left out but not cleared."""
    if isinstance(data, dict):
        nulls = [name for name in fields if name in data and data[name] is None]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null")
    return data


class SupplierCreate(BaseModel):
    model_config = _IN

    name: SupplierName
    fee_bp: FeeBp | None = None


class SupplierUpdate(BaseModel):
    model_config = _IN

    name: SupplierName | None = None
    fee_bp: FeeBp | None = None

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: object) -> object:
        return _no_nulls(data, ("name", "fee_bp"))


class SupplierOut(BaseModel):
    id: int
    name: str
    fee_bp: int


class SupplierList(BaseModel):
    items: list[SupplierOut]


class SkuCreate(BaseModel):
    model_config = _IN

    spec: Spec
    price_fen: PriceFen
    stock: Stock


class SkuUpdate(BaseModel):
    model_config = _IN

    spec: Spec | None = None
    price_fen: PriceFen | None = None

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: object) -> object:
        return _no_nulls(data, ("spec", "price_fen"))


class StockAdjust(BaseModel):
    """A stock change: positive to add, negative to take away; stock never goes below 0."""

    model_config = _IN

    delta: int = Field(ge=-MAX_STOCK, le=MAX_STOCK)


class SkuOut(BaseModel):
    id: int
    spec: str
    price_fen: int
    stock: int


class ProductCreate(BaseModel):
    model_config = _IN

    supplier_id: int = Field(ge=1, le=MAX_ID)
    title: Title
    description: Description = ""
    category: Category | None = None
    images: Images = Field(default_factory=list)
    skus: list[SkuCreate] = Field(min_length=1, max_length=MAX_SKUS)

    @field_validator("skus")
    @classmethod
    def _distinct_specs(cls, skus: list[SkuCreate]) -> list[SkuCreate]:
        specs = [sku.spec for sku in skus]
        if len(set(specs)) != len(specs):
            raise ValueError("two SKUs have the same spec")
        return skus


class ProductUpdate(BaseModel):
    """Fields to change; leave out what stays. ``category: null`` clears the category."""

    model_config = _IN

    title: Title | None = None
    description: Description | None = None
    category: Category | None = None
    images: Images | None = None
    on_shelf: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: object) -> object:
        return _no_nulls(data, ("title", "description", "images", "on_shelf"))


class ProductOut(BaseModel):
    id: int
    supplier_id: int
    title: str
    description: str
    category: str | None
    images: list[str]
    on_shelf: bool
    sold_count: int
    skus: list[SkuOut]
    price_from_fen: int | None


class ProductPage(BaseModel):
    """One page of products; pass ``next_cursor`` back as ``cursor`` for the next (None: end)."""

    items: list[ProductOut]
    next_cursor: str | None


class CategoryOut(BaseModel):
    name: str
    count: int


class CategoryList(BaseModel):
    items: list[CategoryOut]
