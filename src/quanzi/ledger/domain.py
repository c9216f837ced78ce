"""Pure rules of the ledger: account codes and balanced entries."""

from collections import defaultdict
from collections.abc import Iterable

EXTERNAL = "external"          # the world outside: payers, banks
ESCROW = "escrow"              # buyers' money held until settlement
PLATFORM = "platform_revenue"  # the platform's fees
PAYOUT_CLEARING = "payout_clearing"  # approved payouts on their way to a bank

SYSTEM_ACCOUNTS = {EXTERNAL: "external", ESCROW: "escrow", PLATFORM: "revenue",
                   PAYOUT_CLEARING: "clearing"}


def supplier_account(supplier_id: int) -> str:
    return f"supplier:{supplier_id}"


def wallet_account(user_id: int) -> str:
    return f"wallet:{user_id}"


def kind_of(code: str) -> tuple[str, int | None]:
    """``"wallet:12"`` → ``("wallet", 12)``; system codes → their kind and no owner."""
    if code in SYSTEM_ACCOUNTS:
        return SYSTEM_ACCOUNTS[code], None
    prefix, _, owner = code.partition(":")
    if prefix in {"supplier", "wallet"} and owner.isdigit():
        return prefix, int(owner)
    raise ValueError(f"unknown ledger account {code!r}")


class UnbalancedEntry(ValueError):
    """Postings that do not sum to zero, or fewer than two sides."""


def balanced(postings: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Merge postings per account, drop zeros, and check they sum to zero.

    ``balanced([("escrow", 100), ("external", -100)])`` returns them in account order.
    Raises UnbalancedEntry when the sum is not zero or fewer than two accounts move.
    """
    merged: dict[str, int] = defaultdict(int)
    for code, amount in postings:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise UnbalancedEntry(f"amount for {code} is not integer fen: {amount!r}")
        merged[code] += amount
    kept = sorted((code, amount) for code, amount in merged.items() if amount)
    if sum(amount for _, amount in kept) != 0:
        raise UnbalancedEntry(f"postings sum to {sum(a for _, a in kept)}, not 0")
    if len(kept) < 2:
        raise UnbalancedEntry("an entry moves money between at least two accounts")
    return kept
