"""The payment provider port and its sandbox adapter.

A provider turns a payment into something the payer can act on (an intent with a
``pay_url``; WeChat Pay v3 returns a ``prepay_id``, Alipay a signed order string),
verifies the provider's asynchronous notifications, and sends refunds. ``create_intent``
and ``refund`` may do network I/O: callers never call them inside a database
transaction. ``parse_callback`` is pure (verification only).
"""

import json
from dataclasses import dataclass
from typing import Protocol

from quanzi.core import clock, security
from quanzi.core.config import get_settings
from quanzi.core.errors import InvalidInput, PaymentRefused
from quanzi.core.ids import MAX_BIGINT, is_id

MAX_TXN_ID = 64  # payments.provider_ref
TIMESTAMP_HEADER = "x-sandbox-timestamp"
SIGNATURE_HEADER = "x-sandbox-signature"


@dataclass(frozen=True)
class Intent:
    provider_ref: str
    pay_url: str


@dataclass(frozen=True)
class Notification:
    """A verified "this payment succeeded" message from a provider."""

    payment_id: int
    amount_fen: int
    provider_txn_id: str


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    succeeded: bool


class PaymentProvider(Protocol):
    name: str

    def create_intent(self, *, payment_id: int, amount_fen: int, description: str) -> Intent: ...

    def parse_callback(self, headers: dict[str, str], body: bytes) -> Notification: ...

    def refund(self, *, payment_id: int, refund_id: int, amount_fen: int) -> RefundResult: ...


class SandboxProvider:
    """A provider that lives inside quanzi, for development and tests.

    Its callbacks are signed like a real provider's: ``X-Sandbox-Timestamp`` (unix
    seconds) and ``X-Sandbox-Signature`` = hex HMAC-SHA256 over ``"{timestamp}." + body``
    with a key derived from QUANZI_SECRET_KEY. Timestamps older or newer than the
    tolerance (5 minutes) are refused, so a captured callback cannot be replayed later.
    """

    name = "sandbox"

    def _key(self) -> str:
        return security.derive_key("sandbox-payments", get_settings().resolved_secret_key())

    def create_intent(self, *, payment_id: int, amount_fen: int, description: str) -> Intent:
        return Intent(provider_ref=f"sbx_{payment_id}", pay_url=f"/sandbox/pay/{payment_id}")

    def signed_callback(self, *, payment_id: int, amount_fen: int,
                        timestamp: int | None = None) -> tuple[dict[str, str], bytes]:
        """The headers and body the sandbox sends when a payment succeeds."""
        body = json.dumps({"payment_id": payment_id, "amount_fen": amount_fen,
                           "status": "succeeded", "txn_id": f"sbx_txn_{payment_id}"},
                          separators=(",", ":")).encode()
        ts = str(timestamp if timestamp is not None else int(clock.now().timestamp()))
        signature = security.sign(self._key(), ts.encode() + b"." + body)
        return {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: signature}, body

    def parse_callback(self, headers: dict[str, str], body: bytes) -> Notification:
        lowered = {k.lower(): v for k, v in headers.items()}
        ts, signature = lowered.get(TIMESTAMP_HEADER, ""), lowered.get(SIGNATURE_HEADER, "")
        if not ts.isdigit() or not signature:
            raise PaymentRefused("missing or malformed signature headers", code="bad_signature")
        if not security.signature_matches(self._key(), ts.encode() + b"." + body, signature):
            raise PaymentRefused("signature does not match", code="bad_signature")
        tolerance = get_settings().callback_tolerance.total_seconds()
        if abs(clock.now().timestamp() - int(ts)) > tolerance:
            raise PaymentRefused("callback timestamp is outside the tolerance",
                                 code="stale_callback")
        return _notice(body)

    def refund(self, *, payment_id: int, refund_id: int, amount_fen: int) -> RefundResult:
        return RefundResult(provider_ref=f"sbx_refund_{refund_id}", succeeded=True)


def _notice(body: bytes) -> Notification:
    """The notice a verified sandbox body carries; ``bad_body`` for anything else (a
    payment id no row can have, an amount out of range, a long transaction id)."""
    try:
        data = json.loads(body)
        notice = Notification(payment_id=int(data["payment_id"]),
                              amount_fen=int(data["amount_fen"]),
                              provider_txn_id=str(data["txn_id"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise PaymentRefused("callback body is not a payment notice", code="bad_body") from exc
    if data.get("status") != "succeeded":
        raise PaymentRefused("only successful payments are notified", code="bad_body")
    if not is_id(notice.payment_id) or not 0 <= notice.amount_fen <= MAX_BIGINT or len(
            notice.provider_txn_id) > MAX_TXN_ID:
        raise PaymentRefused("callback body is not a payment notice", code="bad_body")
    return notice


_PROVIDERS: dict[str, PaymentProvider] = {"sandbox": SandboxProvider()}


def get_provider(name: str) -> PaymentProvider:
    provider = _PROVIDERS.get(name)
    if provider is None:
        raise InvalidInput(f"unknown payment provider {name!r}", code="unknown_provider")
    return provider


def register_provider(provider: PaymentProvider) -> None:
    """Plug in another provider (WeChat Pay, Alipay, a test fake)."""
    _PROVIDERS[provider.name] = provider
