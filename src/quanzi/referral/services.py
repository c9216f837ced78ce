"""Use cases of referral: promoters (apply, approve, reject) and the commission rules.

Shops, shares, attribution and commissions live in ``shops``, ``shares``,
``attribution`` and ``commissions`` beside this module.
"""

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quanzi.accounts.services import grant_role
from quanzi.core import broadcast, clock
from quanzi.core.db import table, transaction
from quanzi.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from quanzi.referral import codes, domain
from quanzi.referral.models import CommissionRate, Promoter, ReferralConfig
from quanzi.referral.schemas import ConfigIn, ConfigOut, PromoterOut, RateOut, RatesIn, RatesOut

__all__ = ["apply", "approve", "approved_promoter", "config_out", "load_rules", "promoter_out",
           "rates_out", "reject", "save_config", "save_rates"]


def promoter_out(promoter: Promoter) -> PromoterOut:
    """The promoter as the API shows it; the invite code only once approved."""
    return PromoterOut(id=promoter.id, user_id=promoter.user_id, status=promoter.status,
                       invite_code=promoter.invite_code if promoter.status == "approved" else None,
                       inviter_id=promoter.inviter_id, reject_reason=promoter.reject_reason,
                       created_at=promoter.created_at)


def apply(*, user_id: int, invite_code: str | None = None) -> PromoterOut:
    """Apply to become a promoter. Never needs a purchase or a fee.

    ``invite_code`` must be an approved promoter's code (else 422 ``unknown_invite_code``);
    its owner becomes ``inviter_id``, once and for good. A rejected applicant may apply
    again (their inviter stays). 409 ``already_applied`` while applied or approved.
    Approved at once when the rules say ``auto_approve``.
    """
    with transaction() as session:
        inviter_id = _inviter_for(session, invite_code, user_id)
        promoter = session.scalar(select(Promoter).where(Promoter.user_id == user_id))
        if promoter is not None and promoter.status != "rejected":
            raise Conflict(f"you have already applied (status {promoter.status})",
                           code="already_applied")
        if promoter is None:
            promoter = Promoter(user_id=user_id, invite_code=_free_invite_code(session),
                                inviter_id=inviter_id, created_at=clock.now())
            session.add(promoter)
        elif promoter.inviter_id is None:
            promoter.inviter_id = inviter_id
        promoter.status, promoter.reject_reason, promoter.decided_at = "applied", None, None
        session.flush()
        if load_rules(session).auto_approve:
            _approve(session, promoter)
        return promoter_out(promoter)


def _inviter_for(session: Session, invite_code: str | None, user_id: int) -> int | None:
    if invite_code is None:
        return None
    inviter = session.scalar(select(Promoter).where(Promoter.invite_code == invite_code.upper(),
                                                    Promoter.status == "approved"))
    if inviter is None or inviter.user_id == user_id:
        raise InvalidInput("no approved promoter has that invite code", code="unknown_invite_code")
    return inviter.user_id


def _free_invite_code(session: Session) -> str:
    while True:
        code = codes.new_invite_code()
        if session.scalar(select(Promoter.id).where(Promoter.invite_code == code)) is None:
            return code


def _locked_promoter(session: Session, promoter_id: int) -> Promoter:
    promoter = session.scalar(select(Promoter).where(Promoter.id == promoter_id)
                              .with_for_update())
    if promoter is None:
        raise NotFound("no such promoter")
    return promoter


def _approve(session: Session, promoter: Promoter) -> None:
    promoter.status, promoter.reject_reason, promoter.decided_at = "approved", None, clock.now()
    grant_role(session, promoter.user_id, "promoter")
    session.flush()


def approve(*, operator_id: int, promoter_id: int) -> PromoterOut:
    """Approve an application (applied or rejected → approved) and grant the promoter role.

    404 for an unknown id; 409 ``invalid_transition`` when already approved.
    """
    with transaction() as session:
        promoter = _locked_promoter(session, promoter_id)
        if promoter.status == "approved":
            raise InvalidTransition("promoter", promoter.status, "approve")
        _approve(session, promoter)
        return promoter_out(promoter)


def reject(*, operator_id: int, promoter_id: int, reason: str) -> PromoterOut:
    """Reject an application with a reason (applied → rejected); 409 otherwise."""
    with transaction() as session:
        promoter = _locked_promoter(session, promoter_id)
        if promoter.status != "applied":
            raise InvalidTransition("promoter", promoter.status, "reject")
        promoter.status, promoter.reject_reason = "rejected", reason
        promoter.decided_at = clock.now()
        session.flush()
        return promoter_out(promoter)


def approved_promoter(session: Session, user_id: int) -> Promoter | None:
    return session.scalar(select(Promoter).where(Promoter.user_id == user_id,
                                                 Promoter.status == "approved"))


# --- rules ---------------------------------------------------------------------------------

_RULES = select(*(table(ReferralConfig).c[name] for name in domain.RULE_FIELDS)).where(
    table(ReferralConfig).c.id == 1)  # built once, Core: every order reads it


def load_rules(session: Session) -> domain.Rules:
    """The platform's rules: the stored row, else the defaults."""
    row = session.execute(_RULES).first()
    if row is None:
        return domain.Rules()
    return domain.Rules(**row._asdict())


def config_out(rules: domain.Rules, warning: str | None = None) -> ConfigOut:
    values = {name: getattr(rules, name) for name in domain.RULE_FIELDS}
    if warning is None and rules.level2_enabled:
        warning = domain.LEVEL2_CAVEAT
    return ConfigOut(**values, warning=warning)


RULES_TOPIC = "referral-rules"  # announced (core.broadcast) after the rules change


def save_config(data: ConfigIn) -> ConfigOut:
    """Change the rules: the fields given replace the current ones; the rest stay.

    Refuses a non-compliant result (422 ``non_compliant``, every reason) and changes
    nothing then. Turning level 2 on succeeds with the legal caveat in ``warning``.
    """
    with transaction() as session:
        current = load_rules(session)
        given = data.model_dump(exclude_unset=True)
        rules = domain.Rules(**{name: given.get(name, getattr(current, name))
                                for name in domain.RULE_FIELDS})
        extras = {name: getattr(data, name) for name in (
            "level3_enabled", "level3_bp", "entry_fee_fen", "purchase_required",
            "min_purchase_fen", "recruit_reward_fen")}
        warning = domain.check_compliance(domain.Proposal(rules=rules, **extras))
        row = session.get(ReferralConfig, 1) or ReferralConfig(id=1)
        for name in domain.RULE_FIELDS:
            setattr(row, name, getattr(rules, name))
        row.updated_at = clock.now()
        session.add(row)
        session.flush()
    broadcast.announce(RULES_TOPIC)  # every process's cached window goes
    return config_out(rules, warning)


def rate_tables(session: Session) -> tuple[dict[int, domain.Rate], dict[str, domain.Rate]]:
    """The overrides: (by product id, by category)."""
    by_product: dict[int, domain.Rate] = {}
    by_category: dict[str, domain.Rate] = {}
    for row in session.scalars(select(CommissionRate)):
        rate = domain.Rate(row.level1_bp, row.level2_bp)
        if row.product_id is not None:
            by_product[row.product_id] = rate
        elif row.category is not None:
            by_category[row.category] = rate
    return by_product, by_category


def rates_out(session: Session) -> RatesOut:
    rows = session.scalars(select(CommissionRate).order_by(CommissionRate.id))
    return RatesOut(rates=[RateOut(category=r.category, product_id=r.product_id,
                                   level1_bp=r.level1_bp, level2_bp=r.level2_bp) for r in rows])


def save_rates(data: RatesIn, *, categories_only: bool = False) -> RatesOut:
    """Replace every per-category/per-product override (``categories_only``: only the
    per-category ones, the per-product ones staying as they are). 422 ``non_compliant`` if
    one has level 2 above level 1 or a rate over 100%; 422 for a duplicate scope or unknown
    product."""
    scopes = [(r.category, r.product_id) for r in data.rates]
    if len(set(scopes)) != len(scopes):
        raise InvalidInput("each category and product may have only one override")
    if categories_only and any(r.product_id is not None for r in data.rates):
        raise InvalidInput("only per-category overrides may be saved here")
    for rate in data.rates:
        domain.check_rate_override(rate.level1_bp, rate.level2_bp)
    replaced = delete(CommissionRate)
    if categories_only:
        replaced = replaced.where(CommissionRate.product_id.is_(None))
    try:
        with transaction() as session:
            session.execute(replaced)
            session.add_all(CommissionRate(category=r.category, product_id=r.product_id,
                                           level1_bp=r.level1_bp, level2_bp=r.level2_bp)
                            for r in data.rates)
            session.flush()
            return rates_out(session)
    except IntegrityError as exc:
        raise InvalidInput("an override names a product that does not exist",
                           code="unknown_product") from exc
