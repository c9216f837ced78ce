"""Who may call what: every /api/v1 operation, for every role, against one small world.

The table below is the access contract. One row per operation, one column per role:
``OK`` means the request got past authorisation (any answer but 401/403/404, and never
a 5xx: 200, 201, 204, 409 and 422 all count); a number is the exact status expected.

- 401: not signed in, for anything that needs a user;
- 403: signed in without the role, or the thing is visible but not yours to act on;
- 404: someone else's order, address, refund or payment — you may not learn it exists.

Roles (columns): ``anon`` nobody signed in; ``buyer`` the consumer who owns the orders,
the address, the payment and the bargain run; ``stranger`` another consumer; ``promoter``
an approved promoter with a shop, a share and commission in the wallet; ``leader`` a
community leader; ``staff`` supplier staff of the supplier that owns the goods;
``other`` staff of another supplier; ``operator``. For each operation the denied roles
call first, so what an allowed role changes cannot change what the others see.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quanzi.app import create_app
from quanzi.core import clock
from quanzi.payments.providers import SandboxProvider, get_provider
from quanzi.referral import clicks, redirect
from tests import backends
from tests.api.conftest import World, new_key
from tests.factories import ADDRESS, PASSWORD
from tests.pictures import picture

OK = "ok"
ROLES = ("anon", "buyer", "stranger", "promoter", "leader", "staff", "other", "operator")
ALL_OK = (OK,) * 8
SIGNED_IN = (401,) + (OK,) * 7
OPERATOR_ONLY = (401, 403, 403, 403, 403, 403, 403, OK)
SUPPLIER_OWN = (401, 403, 403, 403, 403, OK, 403, OK)       # operator or the owning supplier
PROMOTER_ONLY = (401, 403, 403, OK, 403, 403, 403, 403)
LEADER_ONLY = (401, 403, 403, 403, OK, 403, 403, 403)
EARNERS = (401, 403, 403, OK, OK, 403, 403, 403)               # promoters and leaders

# fmt: off
TABLE: dict[str, tuple[Any, ...]] = {
    # role:                                          anon buyr strg prom lead stff othr oper
    # accounts
    "POST /auth/register":                          ALL_OK,
    "POST /auth/login":                             ALL_OK,
    "POST /auth/logout":                            SIGNED_IN,
    "GET /me":                                      SIGNED_IN,
    "GET /me/addresses":                            SIGNED_IN,
    "POST /me/addresses":                           SIGNED_IN,
    "POST /me/addresses/{address_id}/default":      (401, OK,  404, 404, 404, 404, 404, 404),
    "DELETE /me/addresses/{address_id}":            (401, OK,  404, 404, 404, 404, 404, 404),
    "GET /regions":                                 ALL_OK,
    "POST /addresses/parse":                        SIGNED_IN,
    # catalog
    "GET /suppliers":                               OPERATOR_ONLY,
    "POST /suppliers":                              OPERATOR_ONLY,
    "PATCH /suppliers/{supplier_id}":               OPERATOR_ONLY,
    "POST /products":                               SUPPLIER_OWN,
    "GET /products":                                ALL_OK,
    "GET /products/{product_id}":                   ALL_OK,
    "PATCH /products/{product_id}":                 SUPPLIER_OWN,
    "POST /products/{product_id}/skus":             SUPPLIER_OWN,
    "PATCH /skus/{sku_id}":                         SUPPLIER_OWN,
    "POST /skus/{sku_id}/stock":                    SUPPLIER_OWN,
    "GET /categories":                              ALL_OK,
    # orders (the shipped order with an open refund, unless the request says otherwise)
    "POST /orders":                                 SIGNED_IN,
    "GET /orders":                                  SIGNED_IN,
    "GET /orders/{order_id}":                       (401, OK,  404, 404, 404, OK,  404, OK),
    "POST /orders/{order_id}/cancel":               (401, OK,  404, 404, 404, 403, 404, OK),
    "POST /orders/{order_id}/ship":                 (401, 403, 404, 404, 404, OK,  404, OK),
    "POST /orders/{order_id}/deliver":              (401, 403, 404, 404, 404, OK,  404, OK),
    "POST /orders/{order_id}/confirm":              (401, OK,  404, 404, 404, 403, 404, 403),
    "POST /orders/{order_id}/refunds":              (401, OK,  404, 404, 404, 403, 404, 403),
    "GET /orders/{order_id}/refunds":               (401, OK,  404, 404, 404, OK,  404, OK),
    "POST /orders/{order_id}/refund-photos":        (401, OK,  404, 404, 404, 403, 404, 403),
    "GET /refund-photos/{photo_id}":                (401, OK,  404, 404, 404, OK,  404, OK),
    "POST /refunds/{refund_id}/approve":            (401, 403, 404, 404, 404, OK,  404, OK),
    "POST /refunds/{refund_id}/reject":             (401, 403, 404, 404, 404, OK,  404, OK),
    "POST /orders/{order_id}/after-sales-refunds":  OPERATOR_ONLY,
    # payments (the unpaid order and its open sandbox payment). Its supplier and operators
    # can see the order, so refusing them the buyer's pay is a 403, not a 404.
    "POST /orders/{order_id}/pay":                  (401, OK,  404, 404, 404, 403, 404, 403),
    "POST /payments/sandbox/{payment_id}/complete": (401, OK,  404, 404, 404, 404, 404, 404),
    "POST /payments/sandbox/callback":              ALL_OK,  # the signature is the credential
    # ledger
    "GET /ledger/trial-balance":                    OPERATOR_ONLY,
    "GET /suppliers/{supplier_id}/balance":         SUPPLIER_OWN,
    "POST /suppliers/{supplier_id}/payouts":        (401, 403, 403, 403, 403, OK,  403, 403),
    "GET /payouts":                                 (401, 403, 403, 403, 403, OK,  OK,  OK),
    "POST /payouts/{payout_id}/approve":            OPERATOR_ONLY,
    "POST /payouts/{payout_id}/reject":             OPERATOR_ONLY,
    "POST /payouts/{payout_id}/paid":               OPERATOR_ONLY,
    "GET /me/wallet":                               SIGNED_IN,
    "POST /me/withdrawals":                         (401, 403, 403, OK,  OK,  403, 403, 403),
    "GET /me/withdrawals":                          SIGNED_IN,
    # campaigns: configured by operators and the SKU's supplier, read by anyone
    "GET /campaigns":                               ALL_OK,
    "POST /flash-sales":                            SUPPLIER_OWN,
    "GET /flash-sales/{sale_id}":                   ALL_OK,
    "POST /flash-sales/{sale_id}/buy":              SIGNED_IN,
    "POST /group-buys":                             SUPPLIER_OWN,
    "GET /group-buys/{group_buy_id}":               ALL_OK,
    "POST /group-buys/{group_buy_id}/groups":       SIGNED_IN,
    "GET /groups/{group_id}":                       ALL_OK,
    "POST /groups/{group_id}/join":                 SIGNED_IN,
    "POST /bargains":                               SUPPLIER_OWN,
    "POST /bargains/{bargain_id}/start":            SIGNED_IN,
    "POST /bargain-runs/{run_id}/help":             (401, 403, OK,  OK,  OK,  OK,  OK,  OK),
    "GET /bargain-runs/{run_id}":                   ALL_OK,
    "POST /bargain-runs/{run_id}/buy":              (401, OK,  403, 403, 403, 403, 403, 403),
    "POST /tiered-deals":                           SUPPLIER_OWN,
    "GET /tiered-deals/{deal_id}":                  ALL_OK,
    "POST /tiered-deals/{deal_id}/join":            SIGNED_IN,
    "POST /presales":                               SUPPLIER_OWN,
    "GET /presales/{presale_id}":                   ALL_OK,
    "POST /presales/{presale_id}/orders":           SIGNED_IN,
    # referral
    "POST /promoters/apply":                        SIGNED_IN,
    "POST /promoters/{promoter_id}/approve":        OPERATOR_ONLY,
    "POST /promoters/{promoter_id}/reject":         OPERATOR_ONLY,
    "GET /promoters":                               OPERATOR_ONLY,
    "GET /me/promoter":                             (401, 404, 404, OK,  404, 404, 404, 404),
    "GET /me/shop":                                 PROMOTER_ONLY,
    "PUT /me/shop":                                 PROMOTER_ONLY,
    "PUT /me/shop/items":                           PROMOTER_ONLY,
    "POST /shares":                                 PROMOTER_ONLY,
    "POST /shares/resolve":                         ALL_OK,
    "GET /shares/{code}/poster.png":                ALL_OK,
    "GET /referral/config":                         OPERATOR_ONLY,
    "PUT /referral/config":                         OPERATOR_ONLY,
    "GET /referral/rates":                          OPERATOR_ONLY,
    "PUT /referral/rates":                          OPERATOR_ONLY,
    "GET /me/referral/stats":                       PROMOTER_ONLY,
    "GET /me/commissions":                          EARNERS,
    # community buying (a batch of supplier 1's SKU with the buyer's paid order at the
    # leader's point)
    "POST /leaders/apply":                          SIGNED_IN,
    "GET /leaders/applications":                    OPERATOR_ONLY,
    "POST /leaders/{application_id}/approve":       OPERATOR_ONLY,
    "POST /leaders/{application_id}/reject":        OPERATOR_ONLY,
    "GET /me/pickup-points/led":                    SIGNED_IN,
    "POST /leader/points/{point_id}/pause":         LEADER_ONLY,
    "POST /leader/points/{point_id}/resume":        LEADER_ONLY,
    "GET /pickup-points":                           ALL_OK,
    "PUT /me/pickup-point":                         SIGNED_IN,
    "GET /me/pickup-point":                         SIGNED_IN,
    "POST /batches":                                SUPPLIER_OWN,
    "GET /batches":                                 ALL_OK,
    "GET /batches/{batch_id}":                      ALL_OK,
    "PUT /batches/{batch_id}/leader-rate":          SUPPLIER_OWN,
    "POST /batches/{batch_id}/orders":              SIGNED_IN,
    "GET /batches/{batch_id}/pick-list":            SUPPLIER_OWN,
    "GET /batches/{batch_id}/dispatch-notes":       SUPPLIER_OWN,
    "POST /batches/{batch_id}/dispatch":            SUPPLIER_OWN,
    "POST /leader/batches/{batch_id}/arrive":       LEADER_ONLY,
    "GET /leader/batches/{batch_id}/orders":        LEADER_ONLY,
    "GET /leader/batches/{batch_id}/dispatch-note": LEADER_ONLY,
    "POST /leader/pickups":                         LEADER_ONLY,
    "GET /orders/{order_id}/pickup-qr.png":         (401, OK,  404, 404, 404, 404, 404, 404),
}
# fmt: on

# --- what each operation sends ---------------------------------------------------------

# Path parameters are the World's attributes of the same name; these act on another order.
ORDER_FOR = {"POST /orders/{order_id}/cancel": "unpaid_order_id",
             "POST /orders/{order_id}/pay": "unpaid_order_id",
             "POST /orders/{order_id}/ship": "paid_order_id",
             "GET /orders/{order_id}/pickup-qr.png": "batch_order_id"}

# What must exist beyond what the request names, so that the allowed roles' answers mean
# something (a balance to pay out, commission to withdraw, rows in the lists).
PREPARE: dict[str, tuple[str, ...]] = {
    "GET /me/addresses": ("address_id",),
    "GET /orders": ("shipped", "unpaid"),
    "GET /ledger/trial-balance": ("settled_order_id",),
    "GET /suppliers/{supplier_id}/balance": ("settled_order_id",),
    "POST /suppliers/{supplier_id}/payouts": ("settled_order_id",),
    "GET /payouts": ("payout_id",),
    "GET /me/wallet": ("settled_order_id",),
    "POST /me/withdrawals": ("settled_order_id",),
    "GET /me/withdrawals": ("settled_order_id",),
    "GET /promoters": ("promoter_id",),
    "GET /me/referral/stats": ("settled_order_id",),
    "GET /me/commissions": ("settled_order_id",),
    "GET /products": ("product_id",),
    "GET /categories": ("product_id",),
    "GET /campaigns": ("sale_id", "group_buy_id"),
    "GET /me/pickup-points/led": ("point_id",),
    "GET /batches": ("batch",),
    "GET /leaders/applications": ("application_id",),
}


def _times(start_h: int, end_h: int) -> dict[str, str]:
    now = clock.now()
    return {"starts_at": (now + timedelta(hours=start_h)).isoformat(),
            "ends_at": (now + timedelta(hours=end_h)).isoformat()}


def _refund_body(w: World) -> dict[str, Any]:
    return {"lines": [{"line_id": w.shipped["line_id"], "quantity": 1}], "reason": "少发了"}


def _batch_body(w: World) -> dict[str, Any]:
    times = _times(0, 2)
    return {"title": "周五水果团", "opens_at": times["starts_at"],
            "cuts_off_at": times["ends_at"], "pickup_from": _times(12, 13)["starts_at"],
            "leader_rate_bps": 500, "items": [{"sku_id": w.sku_id, "price_fen": 990,
                                               "stock": 10}]}


BODIES: dict[str, Callable[[World], Any]] = {
    "POST /auth/register": lambda w: {"email": f"{new_key()}@example.cn",
                                      "password": PASSWORD, "name": "新朋友"},
    "POST /auth/login": lambda w: {"login": w.buyer.email, "password": PASSWORD},
    "POST /me/addresses": lambda w: ADDRESS,
    "POST /addresses/parse": lambda w: {"text": "张三 13812345678 北京市朝阳区建国路88号"},
    "POST /suppliers": lambda w: {"name": f"新供货商{new_key()}"},
    "PATCH /suppliers/{supplier_id}": lambda w: {"fee_bp": 600},
    "POST /products": lambda w: {"supplier_id": w.supplier_id, "title": "新米 5kg",
                                 "skus": [{"spec": "5kg", "price_fen": 4990, "stock": 10}]},
    "PATCH /products/{product_id}": lambda w: {"title": "赣南脐橙 特级"},
    "POST /products/{product_id}/skus": lambda w: {"spec": f"规格{new_key()}",
                                                   "price_fen": 2490, "stock": 5},
    "PATCH /skus/{sku_id}": lambda w: {"price_fen": 1190},
    "POST /skus/{sku_id}/stock": lambda w: {"delta": 5},
    "POST /orders": lambda w: {"items": [{"sku_id": w.sku_id, "quantity": 1}],
                               "address": ADDRESS},
    "POST /orders/{order_id}/ship": lambda w: {"carrier": "顺丰", "tracking_no": "SF99887766"},
    "POST /orders/{order_id}/refunds": _refund_body,
    "POST /orders/{order_id}/after-sales-refunds": _refund_body,
    "POST /refunds/{refund_id}/approve": lambda w: {"note": "同意退款"},
    "POST /refunds/{refund_id}/reject": lambda w: {"note": "已签收"},
    "POST /orders/{order_id}/pay": lambda w: {"provider": "sandbox"},
    "POST /suppliers/{supplier_id}/payouts": lambda w: {"amount_fen": 100},
    "POST /payouts/{payout_id}/approve": lambda w: {},
    "POST /payouts/{payout_id}/reject": lambda w: {"note": "账户有误"},
    "POST /me/withdrawals": lambda w: {"amount_fen": 100},
    "POST /flash-sales": lambda w: {"sku_id": w.sku_id, "price_fen": 890, "stock": 5,
                                    "per_user_limit": 1, **_times(2, 3)},
    "POST /flash-sales/{sale_id}/buy": lambda w: {"quantity": 1, "address": ADDRESS},
    "POST /group-buys": lambda w: {"sku_id": w.sku_id, "price_fen": 990,
                                   "group_size": 2, "duration_s": 3600},
    "POST /group-buys/{group_buy_id}/groups": lambda w: {"address": ADDRESS},
    "POST /groups/{group_id}/join": lambda w: {"address": ADDRESS},
    "POST /bargains": lambda w: {"sku_id": w.sku_id, "start_price_fen": 1290,
                                 "floor_price_fen": 890, "helps_needed": 5,
                                 "duration_s": 3600},
    "POST /bargain-runs/{run_id}/buy": lambda w: {"address": ADDRESS},
    "POST /tiered-deals": lambda w: {"sku_id": w.sku_id, **_times(2, 30),
                                     "tiers": [{"min_participants": 1, "price_fen": 1190},
                                               {"min_participants": 3, "price_fen": 990}]},
    "POST /tiered-deals/{deal_id}/join": lambda w: {"quantity": 1, "address": ADDRESS},
    "POST /presales": lambda w: {
        "sku_id": w.sku_id, "price_fen": 1290, "deposit_fen": 100,
        "deposit_worth_fen": 200,
        **{f"deposit_{k}": v for k, v in _times(1, 24).items()},
        **{f"balance_{k}": v for k, v in _times(24, 48).items()}},
    "POST /presales/{presale_id}/orders": lambda w: {"quantity": 1, "address": ADDRESS},
    "POST /promoters/apply": lambda w: {},
    "POST /promoters/{promoter_id}/reject": lambda w: {"reason": "资料不全"},
    "PUT /me/shop": lambda w: {"name": "我的小铺"},
    "PUT /me/shop/items": lambda w: {"product_ids": [w.product_id]},
    "POST /shares": lambda w: {"product_id": w.product_id},
    "POST /shares/resolve": lambda w: {"text": f"【圈子】赣南脐橙 ￥{w.code}￥ 复制打开"},
    "PUT /referral/config": lambda w: {"level1_bp": 800, "cap_bp": 2000},
    "PUT /referral/rates": lambda w: {"rates": [{"product_id": w.product_id,
                                                 "level1_bp": 1200}]},
    "POST /leaders/apply": lambda w: {"point": {
        "name": "翠苑一区驿站", "province": "浙江省", "city": "杭州市", "district": "西湖区",
        "community": "翠苑一区", "address": "翠苑路 12 号"}},
    "POST /leaders/{application_id}/reject": lambda w: {"reason": "地址不详"},
    "PUT /me/pickup-point": lambda w: {"pickup_point_id": w.point_id},
    "POST /batches": _batch_body,
    "PUT /batches/{batch_id}/leader-rate": lambda w: {"leader_rate_bps": 600},
    "POST /batches/{batch_id}/orders": lambda w: {
        "items": [{"sku_id": w.sku_id, "quantity": 1}], "pickup_point_id": w.point_id},
    "POST /leader/pickups": lambda w: {"code": w.batch["code"]},
}


class _Ids(dict[str, Any]):
    """Path parameters by name, read from the world (which builds them on first use)."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, name: str) -> Any:
        return getattr(self.world, name)


def _path(op: str, w: World) -> str:
    ids = _Ids(w)
    if op in ORDER_FOR:
        ids["order_id"] = getattr(w, ORDER_FOR[op])
    return "/api/v1" + op.split(" ", 1)[1].format_map(ids)


def call(client: TestClient, op: str, w: World, role: str) -> int:
    """Send ``op`` as ``role`` and return the status."""
    method = op.split(" ", 1)[0]
    headers = dict(w.headers[role])
    if method == "POST":
        headers["Idempotency-Key"] = new_key()
    if op == "POST /payments/sandbox/callback":
        sandbox = get_provider("sandbox")
        assert isinstance(sandbox, SandboxProvider)
        signed, body = sandbox.signed_callback(payment_id=w.payment_id,
                                               amount_fen=w.unpaid["amount_fen"])
        return client.post(_path(op, w), content=body, headers={**headers, **signed}).status_code
    if op == "POST /orders/{order_id}/refund-photos":
        files = {"file": ("box.jpg", picture(), "image/jpeg")}
        return client.post(_path(op, w), headers=headers, files=files).status_code
    body = BODIES[op](w) if op in BODIES else None
    return client.request(method, _path(op, w), headers=headers, json=body).status_code


def outcome(status: int) -> Any:
    """The outcome class of a status: OK past authorisation, else 401/403/404 (or a 5xx)."""
    return status if status in (401, 403, 404) or status >= 500 else OK


def schema_operations() -> set[str]:
    paths = create_app().openapi()["paths"]
    return {f"{method.upper()} {path.removeprefix('/api/v1')}"
            for path, item in paths.items() if path.startswith("/api/v1/")
            for method in item if method in {"get", "post", "put", "patch", "delete"}}


# --- the tests -------------------------------------------------------------------------


def _clear_redis_keys() -> None:
    import redis

    client = redis.Redis.from_url(backends.REDIS_URL)
    for key in client.scan_iter(f"quanzi-test-{backends.RUN_ID}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Ids restart with each fresh database: no Redis key, buffered click or cached rule
    may cross from one test to the next."""
    if backends.REDIS_URL:
        _clear_redis_keys()
    redirect.forget_rules()
    yield
    clicks.buffer.close()
    redirect.forget_rules()
    if backends.REDIS_URL:
        _clear_redis_keys()


def test_the_table_covers_every_operation_and_nothing_more():
    operations = schema_operations()
    assert sorted(operations - TABLE.keys()) == [], "operations without a row in TABLE"
    assert sorted(TABLE.keys() - operations) == [], "rows for operations that do not exist"
    assert all(len(row) == len(ROLES) for row in TABLE.values())
    assert set(BODIES) <= set(TABLE) and set(ORDER_FOR) <= set(TABLE)


@pytest.mark.parametrize("op", list(TABLE))
def test_access(client, op):
    world = World()
    for name in PREPARE.get(op, ()):
        getattr(world, name)
    expected = dict(zip(ROLES, TABLE[op], strict=True))
    denied_first = sorted(ROLES, key=lambda role: expected[role] == OK)
    got = {role: outcome(call(client, op, world, role)) for role in denied_first}
    wrong = {role: f"expected {expected[role]}, got {got[role]}"
             for role in ROLES if got[role] != expected[role]}
    assert wrong == {}, f"{op}: {wrong}"


def test_lists_show_each_role_only_its_own_rows(client):
    """The list endpoints let everyone in (see TABLE) and filter by who asks."""
    world = World()
    orders = {world.shipped["order_id"], world.unpaid_order_id}
    payout_id, address_id = world.payout_id, world.address_id
    orders.add(world.settled_order_id)

    def ids(role: str, path: str, **params: str) -> Any:
        response = client.get(f"/api/v1{path}", headers=world.headers[role], params=params)
        if response.status_code != 200:
            return response.status_code
        body = response.json()
        return {row["id"] for row in (body["items"] if isinstance(body, dict) else body)}

    assert {role: ids(role, "/orders") for role in ROLES[1:]} == {
        role: orders if role == "buyer" else set() for role in ROLES[1:]}
    assert {role: ids(role, "/orders", scope="supplier") for role in ROLES[1:]} == {
        **dict.fromkeys(("buyer", "stranger", "promoter", "leader", "operator"), 403),
        "staff": orders, "other": set()}
    assert {role: ids(role, "/orders", scope="all") for role in ROLES[1:]} == {
        **dict.fromkeys(ROLES[1:-1], 403), "operator": orders}
    assert {role: ids(role, "/payouts") for role in ("staff", "other", "operator")} == {
        "staff": {payout_id}, "other": set(), "operator": {payout_id}}
    assert {role: ids(role, "/me/addresses") for role in ROLES[1:]} == {
        role: {address_id} if role == "buyer" else set() for role in ROLES[1:]}
