"""The double-entry ledger: accounts, journal entries of postings, balances, payouts."""
