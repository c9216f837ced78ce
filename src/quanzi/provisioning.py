"""Users made by the platform's own tools (``quanzi user create``, ``quanzi demo``), each
ready to act in its role at once.

A role is one of ``accounts.domain.ROLES``; every user is also a consumer. A supplier
user belongs to an existing supplier. A promoter is an approved promoter, so they can
share straight away (becoming one is free and needs no purchase, as everywhere).
"""

from quanzi.accounts.schemas import UserOut
from quanzi.accounts.services import create_user
from quanzi.catalog.queries import supplier_exists
from quanzi.core.db import read_session
from quanzi.core.errors import InvalidInput
from quanzi.referral import services as referral

__all__ = ["create_with_role"]


def create_with_role(*, role: str, name: str, password: str, email: str | None = None,
                     phone: str | None = None, supplier_id: int | None = None) -> UserOut:
    """Create a user with ``role``.

    Raises ``InvalidInput`` (422) for an unknown role, a phone number that is not a
    mainland mobile, a supplier user without a ``supplier_id`` or with the id of no
    supplier (``unknown_supplier``); ``Conflict`` (409 ``already_registered``) for a login
    already taken. A refused user is not created. The e-mail's form is the caller's to check.
    """
    if supplier_id is not None:
        with read_session() as session:
            if not supplier_exists(session, supplier_id):
                raise InvalidInput("no such supplier", code="unknown_supplier")
    roles = ["consumer"] if role == "consumer" else ["consumer", role]
    user = create_user(name=name, password=password, email=email, phone=phone, roles=roles,
                       supplier_id=supplier_id)
    if role == "promoter":
        applied = referral.apply(user_id=user.id)
        if applied.status != "approved":
            referral.approve(operator_id=0, promoter_id=applied.id)
    return user

