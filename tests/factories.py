"""Building blocks for tests: users with roles and their auth headers, products, orders,
and a snapshot of the stored state for negative tests."""

import itertools
from typing import Any

from fastapi.testclient import TestClient

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import UserOut

_seq = itertools.count(1)
PASSWORD = "correct-horse-9"


def make_user(role: str = "consumer", *, supplier_id: int | None = None,
              name: str | None = None) -> UserOut:
    n = next(_seq)
    roles = ["consumer"] if role == "consumer" else ["consumer", role]
    return accounts.create_user(name=name or f"{role}{n}", password=PASSWORD,
                                email=f"{role}{n}@example.cn", roles=roles,
                                supplier_id=supplier_id)


def token_for(user: UserOut) -> str:
    return accounts.login(user.email or user.phone or "", PASSWORD).access_token


def auth(user: UserOut) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


def login_headers(client: TestClient, login: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"login": login, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def make_supplier(name: str | None = None, fee_bp: int = 500) -> int:
    """A supplier, through the catalog's service."""
    from quanzi.catalog.services import add_supplier
    from quanzi.core.db import transaction

    with transaction() as session:
        return add_supplier(session, name=name or f"供货商{next(_seq)}", fee_bp=fee_bp).id


def make_product(supplier_id: int, skus: list[tuple[str, int, int]] | None = None,
                 title: str | None = None, category: str = "生鲜") -> list[int]:
    """A product on the shelf with SKUs (spec, price_fen, stock); returns the SKU ids."""
    from quanzi.catalog.schemas import ProductCreate, SkuCreate
    from quanzi.catalog.services import add_product
    from quanzi.core.db import transaction

    skus = skus or [("500g", 1290, 100)]
    with transaction() as session:
        product = add_product(session, ProductCreate(
            supplier_id=supplier_id, title=title or f"商品{next(_seq)}", category=category,
            skus=[SkuCreate(spec=s, price_fen=p, stock=q) for s, p, q in skus]))
        return [sku.id for sku in product.skus]


ADDRESS = {"name": "张三", "phone": "13800138000", "region": "上海市 浦东新区",
           "detail": "世纪大道 100 号 8 楼"}


def place(client: TestClient, headers: dict[str, str], items: list[tuple[int, int]],
          key: str | None = None, **extra: object) -> dict:
    """POST /orders and return the created order (asserts 201)."""
    response = client.post("/api/v1/orders",
                           json={"items": [{"sku_id": s, "quantity": q} for s, q in items],
                                 "address": ADDRESS, **extra},
                           headers={**headers, "Idempotency-Key": key or f"k{next(_seq)}"})
    assert response.status_code == 201, response.text
    return response.json()


def pay(client: TestClient, headers: dict[str, str], order_id: int) -> dict:
    """Pay through the sandbox and return the paid order."""
    intent = client.post(f"/api/v1/orders/{order_id}/pay", json={"provider": "sandbox"},
                         headers={**headers, "Idempotency-Key": f"p{next(_seq)}"})
    assert intent.status_code == 200, intent.text
    done = client.post(f"/api/v1/payments/sandbox/{intent.json()['payment_id']}/complete",
                       headers=headers)
    assert done.status_code == 200, done.text
    return done.json()


def snapshot() -> dict[str, dict[Any, Any]]:
    """What a refused request must leave as it was, for comparing before and after.

    The row count of every table, every row's ``status`` (orders, refunds, payments,
    payouts, promoters, commissions, groups, bargain runs …), every SKU's stock, every
    flash sale's units sold, every per-user allowance used, every order's refunded amount
    and every ledger balance::

        before = snapshot()
        assert client.post(...).status_code == 409
        assert snapshot() == before
    """
    from sqlalchemy import func, select

    import quanzi.tables  # noqa: F401  (every table in Base.metadata)
    from quanzi.core.db import Base, read_session

    tables = Base.metadata.tables
    skus, sales, quotas = tables["skus"], tables["flash_sales"], tables["campaign_quotas"]
    accounts, postings = tables["ledger_accounts"], tables["postings"]
    with read_session() as session:
        def pairs(query: Any) -> dict[Any, Any]:
            return {tuple(row[:-1]) if len(row) > 2 else row[0]: row[-1]
                    for row in session.execute(query)}

        return {
            "rows": {name: session.scalar(select(func.count()).select_from(table))
                     for name, table in tables.items()},
            "statuses": {name: pairs(select(table.c.id, table.c.status))
                         for name, table in tables.items()
                         if {"id", "status"} <= set(table.c.keys())},
            "stock": pairs(select(skus.c.id, skus.c.stock)),
            "flash_sold": pairs(select(sales.c.id, sales.c.sold)),
            "quota_used": pairs(select(quotas.c.kind, quotas.c.campaign_id, quotas.c.user_id,
                                       quotas.c.period, quotas.c.used)),
            "refunded_fen": pairs(select(tables["orders"].c.id, tables["orders"].c.refunded_fen)),
            "balances": pairs(select(accounts.c.code, func.sum(postings.c.amount_fen))
                              .join(postings, postings.c.account_id == accounts.c.id)
                              .group_by(accounts.c.code)),
        }
