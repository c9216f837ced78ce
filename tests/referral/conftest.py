"""Helpers for referral tests: promoters, products, shares, flushed clicks."""

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from quanzi.accounts.schemas import UserOut
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.referral import clicks, redirect, services, shares
from quanzi.referral.models import Click
from tests.factories import make_product, make_supplier, make_user


def new_product(price_fen: int = 1290, category: str = "生鲜", title: str | None = None) -> int:
    """An on-shelf product; returns its id."""
    sku_id = make_product(make_supplier(), [("500g", price_fen, 100)], title=title,
                          category=category)[0]
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id


def approved_promoter(invite_code: str | None = None, name: str | None = None) -> UserOut:
    """A consumer who applied (with ``invite_code``) and was approved."""
    user = make_user(name=name)
    applied = services.apply(user_id=user.id, invite_code=invite_code)
    services.approve(operator_id=0, promoter_id=applied.id)
    return user


def invite_code_of(user: UserOut) -> str:
    from quanzi.referral.models import Promoter

    with read_session() as session:
        return session.scalars(select(Promoter.invite_code)
                               .where(Promoter.user_id == user.id)).one()


def share_product(promoter: UserOut, product_id: int | None = None) -> str:
    """The promoter's share code of a product (a new product unless given)."""
    return shares.create_share(promoter_user_id=promoter.id,
                               product_id=product_id or new_product()).code


def click_count(preview: bool | None = False) -> int:
    clicks.buffer.flush()
    query = select(func.count(Click.id))
    if preview is not None:
        query = query.where(Click.is_preview.is_(preview))
    with read_session() as session:
        return int(session.scalar(query) or 0)


@pytest.fixture(autouse=True)
def _clean_buffer() -> Iterator[None]:
    """No click or cached rule crosses from one test (database) to the next."""
    redirect.forget_rules()
    yield
    clicks.buffer.close()
    redirect.forget_rules()
