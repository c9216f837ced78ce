"""The world of tests/web/test_api_coverage.py: one person per role and, made through the
services, everything a page needs to show each operation's form or button (an unpaid
order with its sandbox payment, a paid one to ship, a shipped one to confirm and deliver,
a refund request, supplier payouts to decide, a promoter applicant, one campaign of each
kind with an open group and a bargain run, and community buying's points and batches)."""

from dataclasses import dataclass

from quanzi.accounts import services as accounts
from quanzi.accounts.schemas import AddressIn, UserOut
from quanzi.campaigns import buying
from quanzi.campaigns import services as campaigns
from quanzi.catalog.models import Sku
from quanzi.core.db import read_session
from quanzi.ledger import payouts
from quanzi.ledger import services as ledger
from quanzi.ledger.domain import supplier_account
from quanzi.orders import paying, refund_photos, refunds
from quanzi.orders.schemas import RefundCreate
from quanzi.referral import services as referral
from quanzi.referral import shops
from quanzi.referral.schemas import ShopIn
from tests.factories import ADDRESS, make_user
from tests.pictures import picture
from tests.web import campaign_data as camp
from tests.web import community_data
from tests.web import order_data as od
from tests.web.data import world


@dataclass(frozen=True)
class CoverageWorld:
    logins: dict[str, str | None]  # role → e-mail (None: not signed in)
    ids: dict[str, object]  # placeholder → value, for the page paths and markers


def coverage_world() -> CoverageWorld:
    given = world()
    buyer, friend = make_user(name="买家"), make_user(name="朋友")
    leader = make_user("leader", name="团长")
    seller = od.shop("果园")
    shops.save_shop(promoter_user_id=given.promoter_id, data=ShopIn(name="小美的果园"))
    ids: dict[str, object] = {"product": given.product_id, "sku": given.sku_id,
                              "supplier": seller.supplier_id, "sup_sku": seller.sku_id,
                              "sup_product": _product_of(seller.sku_id)}
    ids |= _addresses(buyer.id)
    ids |= _orders(seller, buyer)
    ids |= _payouts(seller)
    ids["applicant"] = referral.apply(user_id=make_user(name="申请人").id).id
    ids |= _campaigns(buyer.id, friend.id)
    ids |= community_data.coverage_ids(supplier_id=seller.supplier_id, sku_id=seller.sku_id,
                                       buyer=buyer, friend=friend, leader=leader)
    return CoverageWorld(
        logins={"visitor": None, "buyer": buyer.email, "friend": friend.email,
                "promoter": given.promoter, "leader": leader.email,
                "supplier": seller.staff.email, "operator": given.operator},
        ids=ids)


def _addresses(user_id: int) -> dict[str, object]:
    accounts.add_address(user_id, AddressIn(**ADDRESS))
    second = accounts.add_address(user_id, AddressIn(**{**ADDRESS, "detail": "二号楼"}))
    return {"address": second.id}  # not the default: both its forms show


def _product_of(sku_id: int) -> int:
    with read_session() as session:
        return session.get_one(Sku, sku_id).product_id


def _orders(seller: od.Shop, buyer: UserOut) -> dict[str, object]:
    unpaid = od.order(seller, "pending_payment", buyer=buyer)
    payment = paying.start_payment(order_id=unpaid, payer_id=buyer.id,
                                   provider_name="sandbox", idempotency_key="coverage")
    shipped = od.order(seller, "shipped", buyer=buyer)
    asked_buyer = make_user()
    asked = od.order(seller, "shipped", buyer=asked_buyer)
    photo = refund_photos.upload(actor=od.buyer_actor(asked_buyer), order_id=asked,
                                 data=picture(), idempotency_key="coverage")
    refund = refunds.request_refund(
        actor=od.buyer_actor(asked_buyer), order_id=asked, idempotency_key="coverage",
        data=RefundCreate(lines=[{"line_id": od._line_of(asked, asked_buyer), "quantity": 1}],
                          reason="坏了", reason_code="quality", photo_ids=[photo.id]))
    return {"unpaid": unpaid, "payment": payment.payment_id, "paid": od.order(seller, "paid"),
            "shipped": shipped, "asked": asked, "refund": refund.id, "photo": photo.id}


def _payouts(seller: od.Shop) -> dict[str, object]:
    """Two payouts of the supplier from a settled order: one to decide, one to mark paid."""
    od.order(seller, "settled")
    with read_session() as session:
        assert ledger.balance(session, supplier_account(seller.supplier_id)) >= 200
    asked = payouts.request_supplier_payout(supplier_id=seller.supplier_id,
                                            user_id=seller.staff.id, amount_fen=100)
    approved = payouts.request_supplier_payout(supplier_id=seller.supplier_id,
                                               user_id=seller.staff.id, amount_fen=100)
    payouts.decide_payout(payout_id=approved.id, operator_id=make_user("operator").id,
                          approve=True)
    return {"payout": asked.id, "approved_payout": approved.id}


def _campaigns(buyer_id: int, friend_id: int) -> dict[str, object]:
    """A campaign of each kind; the friend opens a group and starts a bargain run."""
    given = camp.goods()
    group_buy = camp.group_buy(given)
    seat = buying.open_group(group_buy_id=group_buy, user_id=friend_id, address=ADDRESS,
                             share_code=None, idempotency_key="coverage")
    bargain = camp.bargain(given)
    run = campaigns.start_bargain(bargain_id=bargain, user_id=friend_id)
    return {"flash": camp.flash(given), "group_buy": group_buy, "group": seat.group_id,
            "bargain": bargain, "run": run.bargain_run_id, "tiered": camp.tiered(given),
            "presale": camp.presale(given)}
