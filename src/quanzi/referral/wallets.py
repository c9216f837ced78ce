"""Wallets (钱包) of promoters and leaders, read from the ledger and the commissions.

Here in referral, above the ledger: the ledger holds the balance and the payouts, and
knows nothing of the commissions still pending.
"""

from sqlalchemy.orm import Session

from quanzi.ledger import services as ledger
from quanzi.ledger.domain import wallet_account
from quanzi.ledger.payouts import available_fen
from quanzi.ledger.schemas import WalletOut
from quanzi.referral.queries import pending_commission_fen


def wallet(session: Session, user_id: int) -> WalletOut:
    """``available_fen`` can be withdrawn now; ``pending_fen`` is commission not yet settled.

    The balance may be negative only after a clawback; nothing is then available.
    """
    account = wallet_account(user_id)
    balance = ledger.balance(session, account)
    available = available_fen(session, account)
    return WalletOut(available_fen=max(available, 0), balance_fen=balance,
                     withdrawing_fen=balance - available,
                     pending_fen=pending_commission_fen(session, user_id))
