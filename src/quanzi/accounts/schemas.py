"""Request and response shapes of accounts."""

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from quanzi.accounts import regions
from quanzi.accounts.domain import normalize_phone
from quanzi.core.errors import NotFound

Name = Field(min_length=1, max_length=64)


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=20)
    password: str = Field(min_length=8, max_length=128)
    name: str = Name

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = normalize_phone(value)
        if phone is None:
            raise ValueError("not a mainland China mobile number (11 digits starting 13–19)")
        return phone

    @model_validator(mode="after")
    def _one_login(self) -> "RegisterIn":
        if not self.email and not self.phone:
            raise ValueError("give an email or a phone number")
        return self


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=128)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class UserOut(BaseModel):
    id: int
    name: str
    roles: list[str]
    email: str | None = None
    phone: str | None = None
    supplier_id: int | None = None


class AddressFields(BaseModel):
    """A delivery address (收货地址) as people write it; the phone must be a mainland mobile."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=5, max_length=20)
    region: str = Field(min_length=1, max_length=128)
    detail: str = Field(min_length=1, max_length=255)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        phone = normalize_phone(value)
        if phone is None:
            raise ValueError("not a mainland China mobile number (11 digits starting 13–19)")
        return phone


class AddressIn(AddressFields):
    """An address for the book; with ``region_code`` (a GB/T 2260 code from the picker or
    智能填写) ``region`` is written from the code and may be left out."""

    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    is_default: bool = False

    @model_validator(mode="before")
    @classmethod
    def _region_from_code(cls, data: Any) -> Any:
        code = data.get("region_code") if isinstance(data, dict) else None
        if not code or not isinstance(code, str) or not re.fullmatch(r"\d{6}", code):
            return data  # absent, or refused by the field's pattern
        try:
            return {**data, "region": regions.place(code).text}
        except NotFound:
            raise ValueError(f"unknown region code {code}") from None


class RegionOut(BaseModel):
    """One entry of the 省/市/区 picker: ``leaf`` when nothing lies below it."""

    code: str
    name: str
    leaf: bool


class RegionList(BaseModel):
    items: list[RegionOut]


class AddressText(BaseModel):
    """A pasted address for 智能填写."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=300)


class AddressGuess(BaseModel):
    """What 智能填写 read from a pasted address; an empty field was not found in it."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    region_code: str | None
    region: str
    detail: str


class AddressOut(BaseModel):
    id: int
    name: str
    phone: str
    region: str
    detail: str
    is_default: bool
    region_code: str | None = None



class AddressList(BaseModel):
    """The buyer's addresses, the default first."""

    items: list[AddressOut]
