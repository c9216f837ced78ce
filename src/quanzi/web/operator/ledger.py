"""The ledger's trial balance as a page (``GET /ledger/trial-balance``): every account's
balance, total debits and credits, and whether they match."""

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from quanzi.accounts import services as accounts
from quanzi.catalog import queries as catalog
from quanzi.core.db import read_session
from quanzi.ledger import domain
from quanzi.ledger import services as ledger
from quanzi.ledger.schemas import TrialBalanceOut
from quanzi.web.kit.pages import OperatorUser, PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
SYSTEM_NAMES = {domain.ESCROW: "担保账户", domain.EXTERNAL: "外部",
                domain.PLATFORM: "平台收入", domain.PAYOUT_CLEARING: "待付出"}
OWNED_NAMES = {"supplier": "供应商", "wallet": "钱包"}


def account_names(session: Session, codes: list[str]) -> dict[str, tuple[str, str]]:
    """code → (Chinese message id, owner's name or ""): ``escrow`` → ("担保账户", ""),
    ``supplier:3`` → ("供应商", "鲜果园"), ``wallet:12`` → ("钱包", "小美"). A code of a
    kind not named here keeps its code as the message id."""
    kinds = {code: _kind(code) for code in codes}
    suppliers = {s.id: s.name for s in catalog.list_suppliers(session)}
    users = accounts.user_names(session, [i for k, i in kinds.values() if k == "wallet" and i])
    names: dict[str, tuple[str, str]] = {}
    for code, (kind, owner) in kinds.items():
        if code in SYSTEM_NAMES:
            names[code] = (SYSTEM_NAMES[code], "")
        elif kind in OWNED_NAMES and owner is not None:
            known = suppliers if kind == "supplier" else users
            names[code] = (OWNED_NAMES[kind], known.get(owner, str(owner)))
        else:
            names[code] = (code, "")
    return names


def _kind(code: str) -> tuple[str, int | None]:
    try:
        return domain.kind_of(code)
    except ValueError:
        return code, None


@router.get("/operator/ledger")
def trial_balance(request: Request, _: OperatorUser) -> Response:
    with read_session() as session:
        trial = TrialBalanceOut.model_validate(ledger.trial_balance(session))
        unbalanced = ledger.unbalanced_entries(session)
        names = account_names(session, [a.account for a in trial.accounts])
    balanced = trial.total_debits_fen == trial.total_credits_fen and not unbalanced
    return render(request, "operator/ledger.html", {
        "trial": trial, "balanced": balanced, "unbalanced": unbalanced, "names": names,
        "net_fen": sum(a.balance_fen for a in trial.accounts)})
