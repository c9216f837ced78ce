"""The world the access test (test_access.py) runs each request against."""

import itertools
from datetime import timedelta
from functools import cached_property
from typing import Any

from quanzi.accounts import services as accounts
from quanzi.accounts.identity import Identity
from quanzi.accounts.schemas import AddressIn
from quanzi.campaigns import services as campaigns
from quanzi.campaigns.group_buy import groups as group_buys
from quanzi.campaigns.schemas import (
    BargainCreate,
    FlashSaleCreate,
    GroupBuyCreate,
    PresaleCreate,
    TieredDealCreate,
    TierIn,
)
from quanzi.catalog.models import Sku
from quanzi.community import batches as community_batches
from quanzi.community import leaders, ordering
from quanzi.community.models import BatchOrder
from quanzi.community.schemas import BatchCreate, BatchOrderCreate, PointIn
from quanzi.core import clock
from quanzi.core.db import read_session, transaction
from quanzi.ledger import payouts
from quanzi.orders import lifecycle, paying, refund_photos, refunds
from quanzi.orders.access import Actor
from quanzi.orders.placing import place_order
from quanzi.orders.schemas import OrderCreate, OrderOut, RefundCreate, RefundLineIn, ShipIn
from quanzi.orders.settlement import settle_due
from quanzi.payments import services as payments
from quanzi.referral import services as referral
from quanzi.referral import shares, shops
from quanzi.referral.schemas import ShopIn
from tests.factories import ADDRESS, auth, make_product, make_supplier, make_user
from tests.pictures import picture

_seq = itertools.count(1)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
SHIP = ShipIn(carrier="顺丰", tracking_no="SF1000200030")


def new_key() -> str:
    """A fresh Idempotency-Key."""
    return f"access-{next(_seq)}"


class World:
    """Two suppliers with staff, one signed-in user per role, and — built on first use, so
    each operation pays only for what its request points at — a product of supplier 1, the
    buyer's address, a settled order (supplier 1's payable balance, a payout request, the
    promoter's commission), a shipped order with a refund request open, an unpaid order
    with an open sandbox payment, a pending promoter applicant, and one campaign of each
    kind (with an open group and a bargain run of the buyer)."""

    def __init__(self) -> None:
        self.supplier_id, self.other_supplier_id = make_supplier(), make_supplier()
        self.users = {"buyer": make_user(name="买家"), "stranger": make_user(name="路人"),
                      "leader": make_user("leader"), "operator": make_user("operator"),
                      "staff": make_user("supplier", supplier_id=self.supplier_id),
                      "other": make_user("supplier", supplier_id=self.other_supplier_id)}
        self.users["promoter"] = make_user(name="小美")
        promoter = referral.apply(user_id=self.users["promoter"].id)
        referral.approve(operator_id=self.users["operator"].id, promoter_id=promoter.id)
        shops.save_shop(promoter_user_id=self.users["promoter"].id,
                        data=ShopIn(name="小美的铺子"))
        self.headers = {role: auth(user) for role, user in self.users.items()}
        self.headers["anon"] = {}
        self.buyer = self.users["buyer"]

    def actor(self, role: str) -> Actor:
        user = self.users[role]
        return Actor(id=user.id, roles=tuple(user.roles), supplier_id=user.supplier_id)

    def principal(self, role: str) -> Identity:
        user = self.users[role]
        return Identity(id=user.id, name=user.name, roles=tuple(user.roles),
                        supplier_id=user.supplier_id)

    # --- catalog and referral ---

    @cached_property
    def sku_id(self) -> int:
        return make_product(self.supplier_id, [("500g", 1290, 100)], title="赣南脐橙")[0]

    @cached_property
    def product_id(self) -> int:
        with read_session() as session:
            return session.get_one(Sku, self.sku_id).product_id

    @cached_property
    def code(self) -> str:
        """The promoter's share code of the product."""
        return shares.create_share(promoter_user_id=self.users["promoter"].id,
                                   product_id=self.product_id).code

    @cached_property
    def promoter_id(self) -> int:
        """A promoter application waiting for review."""
        return referral.apply(user_id=make_user(name="申请人").id).id

    @cached_property
    def address_id(self) -> int:
        return accounts.add_address(self.buyer.id, AddressIn(**ADDRESS)).id

    # --- orders and money ---

    def place(self, quantity: int, **extra: Any) -> OrderOut:
        data = OrderCreate.model_validate({"items": [{"sku_id": self.sku_id,
                                                      "quantity": quantity}],
                                           "address": ADDRESS, **extra})
        return place_order(buyer_id=self.buyer.id, data=data, idempotency_key=new_key())

    def pay(self, order_id: int) -> int:
        """Open a sandbox payment for the order; returns the payment id."""
        return paying.start_payment(order_id=order_id, payer_id=self.buyer.id,
                                    provider_name="sandbox",
                                    idempotency_key=new_key()).payment_id

    def paid(self, quantity: int, **extra: Any) -> OrderOut:
        order = self.place(quantity, **extra)
        payments.complete_sandbox(payment_id=self.pay(order.id), payer_id=self.buyer.id)
        return order

    def paid_and_shipped(self, quantity: int, **extra: Any) -> OrderOut:
        order = self.paid(quantity, **extra)
        lifecycle.ship(actor=self.actor("staff"), order_id=order.id, data=SHIP)
        return order

    @cached_property
    def settled_order_id(self) -> int:
        """Sold through the promoter's share, confirmed and settled after the window."""
        order = self.paid_and_shipped(1, share_code=self.code)
        lifecycle.confirm(actor=self.actor("buyer"), order_id=order.id)
        assert settle_due(clock.now() + 8 * DAY) == 1
        return order.id

    @cached_property
    def payout_id(self) -> int:
        """Supplier 1's payout request (from the settled order's payable)."""
        assert self.settled_order_id
        return payouts.request_supplier_payout(supplier_id=self.supplier_id,
                                               user_id=self.users["staff"].id,
                                               amount_fen=100).id

    @cached_property
    def shipped(self) -> dict[str, Any]:
        """Two of the SKU, shipped; the buyer asked for one back (still open)."""
        order = self.paid_and_shipped(2)
        data = RefundCreate(lines=[RefundLineIn(line_id=order.lines[0].id, quantity=1)],
                            reason="坏了一个")
        refund = refunds.request_refund(actor=self.actor("buyer"), order_id=order.id,
                                        data=data, idempotency_key=new_key())
        assert refund.status == "requested"
        return {"order_id": order.id, "line_id": order.lines[0].id,
                "refund_id": refund.id}

    @cached_property
    def photo_id(self) -> int:
        """A photo the buyer uploaded for a refund of the shipped order."""
        return refund_photos.upload(actor=self.actor("buyer"), order_id=self.order_id,
                                    data=picture(), idempotency_key=new_key()).id

    @cached_property
    def paid_order_id(self) -> int:
        """Paid, waiting to be shipped."""
        return self.paid(1).id

    @property
    def order_id(self) -> int:
        return int(self.shipped["order_id"])

    @property
    def refund_id(self) -> int:
        return int(self.shipped["refund_id"])

    @cached_property
    def unpaid(self) -> dict[str, int]:
        """An order awaiting payment, with its sandbox payment open."""
        order = self.place(1)
        payment_id = self.pay(order.id)
        return {"order_id": order.id, "payment_id": payment_id,
                "amount_fen": order.total_fen}

    @property
    def unpaid_order_id(self) -> int:
        return self.unpaid["order_id"]

    @property
    def payment_id(self) -> int:
        return self.unpaid["payment_id"]

    # --- community buying ---

    def _apply(self, user_id: int) -> int:
        return leaders.apply(user_id=user_id, point=PointIn(
            name="阳光家园3幢自提点", province="浙江省", city="杭州市", district="西湖区",
            community="阳光家园", address="文三路 100 号")).id

    @cached_property
    def point_id(self) -> int:
        """The leader's live pickup point."""
        approved = leaders.approve(operator_id=self.users["operator"].id,
                                   application_id=self._apply(self.users["leader"].id))
        assert approved.pickup_point_id is not None
        return approved.pickup_point_id

    @cached_property
    def application_id(self) -> int:
        """An application to lead a point, waiting for review."""
        return self._apply(make_user(name="想当团长").id)

    @cached_property
    def batch(self) -> dict[str, Any]:
        """An open batch of supplier 1's SKU, with the buyer's paid order at the leader's
        point in it."""
        now = clock.now()
        batch = community_batches.create_batch(actor=self.principal("operator"), data=BatchCreate(
            title="周三蔬菜团", opens_at=now - HOUR, cuts_off_at=now + HOUR,
            pickup_from=now + DAY, leader_rate_bps=800,
            items=[{"sku_id": self.sku_id, "price_fen": 990, "stock": 50}]))
        order = ordering.place_batch_order(
            buyer_id=self.buyer.id, batch_id=batch.id, idempotency_key=new_key(),
            data=BatchOrderCreate(items=[{"sku_id": self.sku_id, "quantity": 1}],
                                  pickup_point_id=self.point_id))
        payments.complete_sandbox(payment_id=self.pay(order.id), payer_id=self.buyer.id)
        with read_session() as session:
            code = session.get_one(BatchOrder, order.id).pickup_code
        return {"batch_id": batch.id, "order_id": order.id, "code": code}

    @property
    def batch_id(self) -> int:
        return int(self.batch["batch_id"])

    @property
    def batch_order_id(self) -> int:
        return int(self.batch["order_id"])

    # --- campaigns, configured by the operator ---

    @cached_property
    def sale_id(self) -> int:
        now = clock.now()
        return campaigns.create_flash_sale(by=self.principal("operator"), data=FlashSaleCreate(
            sku_id=self.sku_id, price_fen=990, stock=20, per_user_limit=2,
            starts_at=now - HOUR, ends_at=now + HOUR)).id

    @cached_property
    def group_buy_id(self) -> int:
        return campaigns.create_group_buy(by=self.principal("operator"), data=GroupBuyCreate(
            sku_id=self.sku_id, price_fen=1090, group_size=10, duration_s=3600)).id

    @cached_property
    def group_id(self) -> int:
        """A group the buyer opened."""
        with transaction() as session:
            return group_buys.open_group(session, self.group_buy_id, self.buyer.id,
                                         clock.now()).id

    @cached_property
    def bargain_id(self) -> int:
        return campaigns.create_bargain(by=self.principal("operator"), data=BargainCreate(
            sku_id=self.sku_id, start_price_fen=1290, floor_price_fen=990, helps_needed=20,
            duration_s=3600)).id

    @cached_property
    def run_id(self) -> int:
        """The buyer's bargain run."""
        return campaigns.start_bargain(bargain_id=self.bargain_id,
                                       user_id=self.buyer.id).bargain_run_id

    @cached_property
    def deal_id(self) -> int:
        now = clock.now()
        return campaigns.create_tiered_deal(by=self.principal("operator"), data=TieredDealCreate(
            sku_id=self.sku_id, tiers=[TierIn(min_participants=1, price_fen=1190),
                                       TierIn(min_participants=5, price_fen=990)],
            starts_at=now - HOUR, ends_at=now + DAY)).id

    @cached_property
    def presale_id(self) -> int:
        now = clock.now()
        return campaigns.create_presale(by=self.principal("operator"), data=PresaleCreate(
            sku_id=self.sku_id, price_fen=1290, deposit_fen=100, deposit_worth_fen=200,
            deposit_starts_at=now - HOUR, deposit_ends_at=now + DAY,
            balance_starts_at=now + DAY, balance_ends_at=now + 2 * DAY)).id
