"""Chinese labels (message ids) of the states the pages show; ``label(value)`` in templates."""

LABELS = {
    # orders
    "pending_payment": "待付款", "paid": "待发货", "shipped": "已发货", "delivered": "已送达",
    "completed": "已完成", "cancelled": "已取消", "refunded": "已退款", "deposit_paid": "待付尾款",
    "group_not_formed": "拼团中·未成团",  # a paid 拼团 order whose group is still forming
    "after_sales": "售后",  # the order lists' tab of orders with a refund asked for
    # commissions
    "pending": "待结算", "settled": "已结算", "reversed": "已冲回", "clawed_back": "已追回",
    # refunds, promoters, payouts
    "requested": "待处理", "approved": "已通过", "rejected": "已拒绝", "applied": "待审核",
    "declined": "余额不足未打款",
    # share targets
    "product": "商品", "shop": "小铺", "group_buy": "拼团", "flash_sale": "秒杀",
    "bargain": "砍价", "tiered": "阶梯团", "presale": "预售",
    # payout kinds
    "withdrawal": "提现", "supplier_payout": "供货商结算",
}
PAYOUT_STATUS = {"paid": "已打款"}
# a community batch order (kind ``batch``) is collected at its pickup point, never shipped:
# paid reads 待取货, ``arrived`` (paid, the goods at the point) 待取货·已到货, and
# ``uncollected`` (completed at the end of its pickup window) 已完成·未取货
BATCH_ORDER_STATUS = {"paid": "待取货", "pickup_order": "待取货", "arrived": "待取货·已到货",
                      "completed": "已取货", "uncollected": "已完成·未取货"}
KIND_LABELS = {"payout": PAYOUT_STATUS, "batch": BATCH_ORDER_STATUS}


def label(value: str, kind: str = "") -> str:
    """The Chinese label of a state; ``kind`` names whose state it is where that changes
    the words (a payout's ``paid`` reads 已打款, a batch order's 待取货); unknown values
    pass."""
    return KIND_LABELS.get(kind, {}).get(value) or LABELS.get(value, value)

# community buying: a batch's and a pickup point's states
LABELS |= {"scheduled": "未开团", "open": "进行中", "cut_off": "已截单", "dispatched": "已发货",
           "arrived": "已到货", "closed": "已结束", "live": "接单中", "paused": "暂停接单"}
