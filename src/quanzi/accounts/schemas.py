"""Request and response shapes of accounts."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from quanzi.accounts.domain import normalize_phone

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
    is_default: bool = False


class AddressOut(BaseModel):
    id: int
    name: str
    phone: str
    region: str
    detail: str
    is_default: bool
