"""Per-user allowances (flash units, group seats, daily bargain helps) that cannot race.

One ``campaign_quotas`` row per (kind, campaign, user, period), created idempotently
(``INSERT … ON CONFLICT DO NOTHING``), then moved by a conditional update
(``used = used + :n WHERE used + :n <= :limit``): two concurrent takers serialise on
the row and the second sees the first's count.
"""

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quanzi.campaigns.models import CampaignQuota
from quanzi.core.db import changed_rows, is_postgres


def _ensure_row(session: Session, kind: str, campaign_id: int, user_id: int,
                period: str) -> None:
    insert = pg_insert if is_postgres(session) else sqlite_insert
    session.execute(
        insert(CampaignQuota)
        .values(kind=kind, campaign_id=campaign_id, user_id=user_id, period=period, used=0)
        .on_conflict_do_nothing()
    )


def _key(kind: str, campaign_id: int, user_id: int,
         period: str) -> tuple[ColumnElement[bool], ...]:
    return (CampaignQuota.kind == kind, CampaignQuota.campaign_id == campaign_id,
            CampaignQuota.user_id == user_id, CampaignQuota.period == period)


def take(session: Session, kind: str, campaign_id: int, user_id: int, amount: int,
         limit: int, period: str = "") -> bool:
    """Use ``amount`` more of the allowance if that stays within ``limit``; False otherwise.

    Flushes; on False nothing but a zero row may have been written.
    """
    _ensure_row(session, kind, campaign_id, user_id, period)
    return changed_rows(
        session,
        update(CampaignQuota)
        .where(*_key(kind, campaign_id, user_id, period),
               CampaignQuota.used + amount <= limit)
        .values(used=CampaignQuota.used + amount)
        .execution_options(synchronize_session=False)
    ) == 1


def give_back(session: Session, kind: str, campaign_id: int, user_id: int, amount: int,
              period: str = "") -> bool:
    """Return ``amount`` to the allowance (never below zero); False if there was not that much."""
    return changed_rows(
        session,
        update(CampaignQuota)
        .where(*_key(kind, campaign_id, user_id, period), CampaignQuota.used >= amount)
        .values(used=CampaignQuota.used - amount)
        .execution_options(synchronize_session=False)
    ) == 1


def used(session: Session, kind: str, campaign_id: int, user_id: int, period: str = "") -> int:
    """How much of the allowance is used (a read: decide with ``take``, not with this)."""
    value = session.scalar(select(CampaignQuota.used).where(
        *_key(kind, campaign_id, user_id, period)))
    return int(value or 0)
