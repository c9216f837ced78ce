"""The ledger's trial balance as a page (``GET /ledger/trial-balance``): every account's
balance, total debits and credits, and whether they match."""

from fastapi import APIRouter, Request, Response

from quanzi.core.db import read_session
from quanzi.ledger import services as ledger
from quanzi.ledger.schemas import TrialBalanceOut
from quanzi.web.kit.pages import OperatorUser, PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/operator/ledger")
def trial_balance(request: Request, _: OperatorUser) -> Response:
    with read_session() as session:
        trial = TrialBalanceOut.model_validate(ledger.trial_balance(session))
        unbalanced = ledger.unbalanced_entries(session)
    balanced = trial.total_debits_fen == trial.total_credits_fen and not unbalanced
    return render(request, "operator/ledger.html", {
        "trial": trial, "balanced": balanced, "unbalanced": unbalanced,
        "net_fen": sum(a.balance_fen for a in trial.accounts)})
