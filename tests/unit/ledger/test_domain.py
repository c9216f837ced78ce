"""The ledger's pure rules (ledger/domain.py): account codes and balanced entries.

The first examples of both live beside the ledger's database tests
(``tests/ledger/test_ledger.py``); these add the properties and the edge cases.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quanzi.ledger.domain import (
    ESCROW,
    EXTERNAL,
    PAYOUT_CLEARING,
    PLATFORM,
    UnbalancedEntry,
    balanced,
    kind_of,
    supplier_account,
    wallet_account,
)

CODES = st.one_of(st.sampled_from([EXTERNAL, ESCROW, PLATFORM, PAYOUT_CLEARING]),
                  st.integers(1, 10**9).map(supplier_account),
                  st.integers(1, 10**9).map(wallet_account))


# --- account codes -----------------------------------------------------------------------


@pytest.mark.parametrize(("code", "kind"), [
    ("external", ("external", None)), ("escrow", ("escrow", None)),
    ("platform_revenue", ("revenue", None)), ("payout_clearing", ("clearing", None)),
    ("supplier:1", ("supplier", 1)), ("wallet:42", ("wallet", 42)),
])
def test_every_account_code_names_its_kind_and_owner(code, kind):
    assert kind_of(code) == kind


@given(owner=st.integers(0, 10**12))
def test_owner_codes_read_back_as_their_owner(owner):
    assert supplier_account(owner) == f"supplier:{owner}"
    assert wallet_account(owner) == f"wallet:{owner}"
    assert kind_of(supplier_account(owner)) == ("supplier", owner)
    assert kind_of(wallet_account(owner)) == ("wallet", owner)


@pytest.mark.parametrize("code", [
    "", "wallet", "wallet:", "wallet:-1", "wallet:1.5", "wallet: 1", "supplier:x",
    "bank:1", "Escrow", "escrow:1", "platform", ":1",
])
def test_anything_else_is_not_an_account(code):
    with pytest.raises(ValueError, match="unknown ledger account"):
        kind_of(code)


# --- balanced entries --------------------------------------------------------------------


@st.composite
def _entry(draw: st.DrawFn) -> list[tuple[str, int]]:
    """Postings that sum to zero over at least two accounts, in any order, with repeats."""
    codes = draw(st.lists(CODES, min_size=2, max_size=6, unique=True))
    amounts = draw(st.lists(st.integers(-10**9, 10**9), min_size=len(codes) - 1,
                            max_size=len(codes) - 1))
    amounts.append(-sum(amounts))
    postings = list(zip(codes, amounts, strict=True))
    if all(amount == 0 for amount in amounts):
        postings = [(codes[0], 100), (codes[1], -100)]
    extra = draw(st.lists(st.tuples(st.sampled_from(codes), st.integers(-1000, 1000)),
                          max_size=3))
    postings += extra + [(code, -amount) for code, amount in extra]  # repeats that cancel
    return draw(st.permutations(postings))


@given(_entry())
def test_a_balanced_entry_is_merged_per_account_sorted_and_sums_to_zero(postings):
    kept = balanced(postings)
    totals: dict[str, int] = {}
    for code, amount in postings:
        totals[code] = totals.get(code, 0) + amount
    assert kept == sorted((code, total) for code, total in totals.items() if total)
    assert sum(amount for _, amount in kept) == 0
    assert len(kept) >= 2 and all(amount != 0 for _, amount in kept)


@given(_entry(), st.integers(-10**6, 10**6).filter(bool))
def test_any_fen_off_is_refused(postings, off):
    code, amount = postings[0]
    with pytest.raises(UnbalancedEntry, match=f"sum to {off}, not 0"):
        balanced([(code, amount + off), *postings[1:]])


@pytest.mark.parametrize("amount", [1.0, 0.5, "100", True, None])
def test_amounts_are_integer_fen_only(amount):
    with pytest.raises(UnbalancedEntry, match="not integer fen"):
        balanced([(ESCROW, amount), (EXTERNAL, -100)])


@pytest.mark.parametrize("postings", [
    [], [(ESCROW, 0)], [(ESCROW, 0), (EXTERNAL, 0)], [(ESCROW, 100), (ESCROW, -100)],
    [(ESCROW, 100), (ESCROW, -100), (EXTERNAL, 0)],
])
def test_an_entry_moves_money_between_at_least_two_accounts(postings):
    with pytest.raises(UnbalancedEntry, match="at least two accounts"):
        balanced(postings)


def test_unbalanced_entry_is_a_value_error():
    assert issubclass(UnbalancedEntry, ValueError)
