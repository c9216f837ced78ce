"""Shapes of the ledger API."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AccountBalance(BaseModel):
    account: str
    balance_fen: int


class TrialBalanceOut(BaseModel):
    total_debits_fen: int
    total_credits_fen: int
    accounts: list[AccountBalance]


class PayoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_fen: int = Field(ge=1, le=10_000_000_000)


class PayoutDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=255)


class PayoutOut(BaseModel):
    id: int
    kind: str
    account: str
    supplier_id: int | None
    amount_fen: int
    status: str
    note: str | None
    created_at: datetime
    decided_at: datetime | None


class PayoutList(BaseModel):
    items: list[PayoutOut]


class SupplierBalanceOut(BaseModel):
    supplier_id: int
    payable_fen: int
    available_fen: int


class WalletOut(BaseModel):
    available_fen: int
    pending_fen: int
    balance_fen: int
    withdrawing_fen: int
