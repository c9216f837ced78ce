"""Shapes of the payments API."""

from typing import Literal

from pydantic import BaseModel, ConfigDict


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: Literal["sandbox"] = "sandbox"


class PaymentIntentOut(BaseModel):
    payment_id: int
    order_id: int
    amount_fen: int
    provider: str
    status: str
    pay_url: str | None


class CallbackOut(BaseModel):
    outcome: str
