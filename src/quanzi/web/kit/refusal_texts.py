"""The Chinese text (a message id) of every refusal the services raise; see refusals.py.

A text is found, in this order, by the service's exact English message (``MESSAGES``), by a
pattern of a message with values in it (``PATTERNS``), by the error's stable ``code``
(``CODES``), and for an illegal move by its entity and action (``TRANSITIONS``). English
pages read the translation of the same text in ``translations/en/.../messages.po``.
"""

import re

from quanzi.campaigns.common import REFUSALS

# stable codes that name one refusal (the campaign rules' own wording first)
CODES: dict[str, str] = {
    **REFUSALS,
    "bad_credentials": "账号或密码不对",
    "already_registered": "这个邮箱或手机号已经注册过了",
    "invalid_token": "登录已失效，请重新登录",
    "already_started": "你已发起过这个砍价，进行中",
    "help_off_in_wechat": "微信内不支持助力，请在浏览器中打开",
    "own_bargain": "不能给自己砍价",
    "unknown_sku": "没有这个商品规格",
    "bad_cursor": "翻页信息已失效，请从第一页重新查看",
    "unknown_supplier": "没有这个供货商。",
    "unknown_campaign": "没有这个活动。",
    "price_above_list": "活动价已高于商品现价，请按现价购买",
    "group_not_formed": "拼团还未成团，成团后才能发货",
    "duplicate_spec": "这个商品已有同名规格",
    "supplier_exists": "已有同名供货商",
    "too_many_skus": "规格数量已达上限",
    "stock_limit": "库存超出上限",
    "insufficient_stock": "库存不足",
    "idempotency_key_missing": "提交缺少校验信息，请刷新页面后重试",
    "idempotency_key_invalid": "提交的校验信息无效，请刷新页面后重试",
    "idempotency_key_reused": "这次提交与之前的不一致，请刷新页面后重新填写",
    "below_minimum": "金额低于最低限额",
    "insufficient_balance": "可用余额不足",
    "off_shelf": "商品已下架",
    "out_of_stock": "库存不足",
    "mixed_suppliers": "一个订单只能包含同一供货商的商品，请分开下单",
    "window_closed": "这个订单已过退货期",
    "refund_invalid": "退款的商品或数量不正确",
    "photo_too_large": "每张照片不能超过 5 MB",
    "not_an_image": "只能上传图片（JPG、PNG、WebP 等）",
    "too_many_photos": "最多上传 3 张照片",
    "unknown_photo": "照片已失效，请重新选择",
    "already_refunded": "这件商品已退过款",
    "unknown_provider": "不支持这种支付方式",
    "bad_signature": "支付通知的签名无效",
    "stale_callback": "支付通知已过期",
    "bad_body": "支付通知的内容无效",
    "unknown_payment": "没有这笔支付",
    "amount_mismatch": "支付金额与订单不符",
    "payment_expired": "支付时间已过",
    "non_compliant": "佣金设置不合规",
    "not_a_promoter": "你还没有申请成为推客",
    "unknown_invite_code": "邀请码无效",
    "already_applied": "你已经申请过成为推客了",
    "unknown_product": "设置里有不存在的商品",
    "no_share_code": "文字里没有找到分享口令",
    "unknown_share": "这个分享口令不存在",
    "no_shop": "请先开通小铺",
    "not_on_shelf": "有商品不在售",
    "font_missing": "缺少海报字体，暂时无法生成海报",
    "bad_amount": "请输入金额，如 12.34",
    "order_too_large": "订单金额超过上限",
    "amount_too_large": "活动价格超过上限",
    "nothing_due": "这个订单无需付款",
    "rate_limited": "操作太频繁，请稍后再试",
    "too_large": "提交的内容太大",
    "server_busy": "系统繁忙，请稍后再试",
    "weak_password": "密码太容易被猜到，请换一个",
}

# exact English messages raised with a generic code (invalid, not_found, forbidden, ...)
MESSAGES: dict[str, str] = {
    "a supplier user belongs to a supplier: give supplier_id": "供货商账号须指定所属供货商",
    "not a mainland China mobile number": "不是中国大陆手机号",
    "no such user": "没有这个用户",
    "no user with this e-mail or phone": "没有用这个邮箱或手机号的用户",
    "no such address": "没有这个地址。",
    "no such region": "没有这个地区。",
    "sign in first": "请先登录",
    "sign in first: send Authorization: Bearer <token>": "请先登录",
    "this is another supplier's account": "这是其他供货商的账户",
    "only the supplier's own staff can request its payout": "只有供货商员工可以申请结算。",
    "only the bargain's owner can buy it": "只有发起砍价的人可以购买",
    "no such bargain": "没有这个砍价活动",
    "no such bargain run": "没有这个砍价",
    "no such tiered deal": "没有这个阶梯团",
    "no such presale": "没有这个预售",
    "no such flash sale": "没有这个秒杀",
    "no such flash reservation": "没有这个秒杀名额",
    "no such group buy": "没有这个拼团活动",
    "no such group": "没有这个团",
    "suppliers may only run campaigns on their own SKUs": "供货商只能为自己的商品创建活动",
    "ends_at must be after starts_at": "结束时间须晚于开始时间",
    "floor_price_fen must be at least 0 and below start_price_fen": "底价须不低于 0 且低于起砍价",
    "more helps than fen to cut: each help cuts at least 1 fen":
        "助力人数多于可砍的金额（每次至少砍 1 分）",
    "group_size must be between 2 and 100": "成团人数须在 2 到 100 之间",
    "a group stays open at least 60 seconds": "每个团至少开放 60 秒",
    "per_user_limit and max_groups must be at least 1": "每人限购和最多开团数至少为 1",
    "give at least one tier": "至少填写一档价格",
    "the first tier starts at 1 participant": "第一档须从 1 人起",
    "every tier price must be positive": "每档价格须大于 0",
    "min_participants must strictly increase": "各档人数须逐档增加",
    "tier prices must strictly decrease": "各档价格须逐档降低",
    "need 0 < deposit_fen <= deposit_worth_fen <= price_fen": "须满足 0 < 定金 ≤ 定金抵扣 ≤ 预售价",
    "deposit_ends_at must be after deposit_starts_at": "定金截止须晚于定金开始",
    "the balance window opens after the deposit window and must end after it opens":
        "尾款须在定金截止后开始，且截止晚于开始",
    "the SKU does not have that much stock for the sale": "该规格的库存不够这么多活动库存",
    "no reserved seat for this user in this group": "你在这个团里没有预留的名额",
    "group already failed": "这个团已经失败了",
    "only operators and suppliers see products off the shelf": "只有运营和供货商能查看已下架的商品",
    "no such product": "没有这件商品。",
    "sign in to see products off the shelf": "登录后才能查看已下架的商品",
    "you may only list products of your own supplier": "只能上架自己供货商的商品",
    "this product belongs to another supplier": "这是其他供货商的商品。",
    "no such SKU": "没有这个商品规格",
    "no such supplier": "没有这个供货商。",
    "no such payout": "没有这条结算或提现记录",
    "no such order": "没有这个订单。",
    "only the buyer can do this": "只有买家本人可以这样操作",
    "only the order's supplier or an operator can do this": "只有订单的供货商或运营可以这样操作",
    "quantity must be at least 1": "数量至少为 1",
    "only supplier staff can list their supplier's orders": "只有供货商员工可以查看本供货商的订单",
    "only operators can list all orders": "只有运营可以查看全部订单",
    "only operators can grant after-sales refunds": "只有运营可以办理售后退款",
    "no such refund": "没有这条退款记录",
    "no such photo": "没有这张照片",
    "the sandbox payment shortcut is off in production": "正式环境不能使用模拟支付",
    "no such sandbox payment": "没有这笔模拟支付",
    "a line's new amount must be between 0 and its old amount": "调整后的金额须在 0 和原金额之间",
    "refunded quantity must be between 0 and the line quantity": "退款数量须在 0 和购买数量之间",
    "no such share": "没有这个分享",
    "the shared product is no longer on sale": "分享的商品已下架",
    "no such promoter": "没有这个推客",
    "each category and product may have only one override": "每个类目或商品只能设置一条单独佣金",
    "only per-category overrides may be saved here": "这里只能设置类目佣金",
    "an override names a product that does not exist": "设置里有不存在的商品",
    "only approved promoters can share": "审核通过的推客才能分享",
    "no such product on sale": "没有这件在售商品",
    "open your shop first (PUT /api/v1/me/shop)": "请先开通小铺",
    "you have not opened a shop yet": "请先开通小铺",
    "only approved promoters have a shop": "审核通过的推客才能开小铺",
    "a product may appear only once": "同一件商品只能添加一次",
    "the time to pay this order has run out": "支付时间已过",
    # one part of a '; '-joined list of reasons (compliance, refunds)
    "不允许第三级佣金 / a third commission level is never allowed (《禁止传销条例》 art. 7)":
        "不允许第三级佣金（《禁止传销条例》第七条）",
    "二级佣金不得高于一级 / level 2 may not be higher than level 1": "二级佣金不得高于一级",
    "佣金上限不得超过 100% / the commission cap may not exceed 100% (10000 bp)":
        "佣金上限不得超过 100%（10000 基点）",
    "成为推客不得收取费用 / becoming a promoter may not require a fee (入门费)":
        "成为推客不得收取费用（入门费）",
    "成为推客不得要求购买 / becoming a promoter may not require a purchase "
    "(disguised entry fee)": "成为推客不得要求购买（变相入门费）",
    "不得为拉人头付费 / nothing may be paid for recruiting (拉人头)": "不得为拉人头付费",
    "佣金率不得超过 100% / a rate may not exceed 100%": "佣金率不得超过 100%",
    "rates may not be negative": "佣金率不能为负数",
    "window_days and binding_days must be at least 1": "归因窗口和锁粉期至少为 1 天",
    "too many sign-ins at once: try again in a moment": "登录的人太多，请稍后再试",
    # why a password is too easy to guess (accounts/password_policy.py)
    "this password is one of the most common passwords": "这是最常见的密码之一，请换一个",
    "this password repeats one character or a short pattern": "密码不能只是重复一个字符或一小段",
    "this password is a sequence such as 12345678 or abcdefgh":
        "密码不能是 12345678、abcdefgh 这样的顺序",
    "this password is a row of neighbouring keys such as qwertyui":
        "密码不能是 qwertyui 这样的相邻按键",
    "this password is made of your own e-mail, phone number or name":
        "密码不能用自己的邮箱、手机号或昵称",
    "this password is a common word, name or date": "密码不能只是常见的单词、名字或日期",
    "this password is too easy to guess": "密码太容易被猜到，请换一个",
}

# messages with values in them; a group named ``fen`` is shown as an amount (¥12.34)
PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), text) for p, text in [
    (r"unknown role\(s\): .+", "没有这种角色"),
    (r"this needs the role .+", "你没有权限进行这个操作"),
    (r"helps needed must be between 1 and \d+, min <= max",
     "助力人数须在 1 到 1000 之间，且最少不多于最多"),
    (r"unpaid_balance_rule must be one of .+", "未付尾款的处理方式无效"),
    (r"campaign_kind must be one of .+", "没有这种活动。"),
    (r"a campaign price of \d+ fen is above the SKU's list price of (?P<fen>\d+) fen",
     "活动价不能高于商品原价（%(fen)s）"),
    (r"refund of \d+ on line \d+ exceeds its quantity \d+ .*", "退款数量超过了购买数量"),
    (r"line \d+ is not in this order", "要退款的商品不在这个订单里"),
    (r"line \d+: quantity must be at least 1", "退款数量至少为 1"),
    (r"line \d+: only (?P<n>\d+) can still be refunded", "最多还能退 %(n)s 件"),
    (r"line \d+ has already been refunded", "这件商品已退过款"),
    (r"attribution_policy must be one of .+", "归因方式无效"),
    (r"the smallest payout is (?P<fen>\d+) fen", "单笔结算至少 %(fen)s"),
    (r"the smallest withdrawal is (?P<fen>\d+) fen", "单笔提现至少 %(fen)s"),
    (r"only (?P<fen>-?\d+) fen is available", "可用余额不足（可用 %(fen)s）"),
    (r"at most \d+ withdrawals a day", "今天的提现次数已达上限"),
    (r"at most (?P<fen>\d+) fen a day", "今天的提现金额已达上限（每天最多 %(fen)s）"),
    (r"the balance can be paid from .+", "还没到支付尾款的时间"),
    (r"the order total may not exceed (?P<fen>\d+) fen", "订单金额超过上限（最多 %(fen)s）"),
    (r"a line may hold at most \d+ units", "单个商品的数量超过上限"),
    (r"\w+ may not exceed (?P<fen>\d+) fen", "活动价格超过上限（最多 %(fen)s）"),
    (r"too many attempts: try again in (?P<seconds>\d+) seconds",
     "操作太频繁，请 %(seconds)s 秒后再试"),
]]

# (entity, action) of an illegal move → its text; %(status)s is the current state's label
TRANSITIONS: dict[tuple[str, str], str] = {
    ("order", "pay"): "订单当前状态不能付款（%(status)s）",
    ("order", "pay_deposit"): "订单当前状态不能付定金（%(status)s）",
    ("order", "cancel"): "订单当前状态不能取消（%(status)s）",
    ("order", "lapse"): "订单当前状态不能关闭（%(status)s）",
    ("order", "revive"): "订单当前状态不能恢复（%(status)s）",
    ("order", "ship"): "订单当前状态不能发货（%(status)s）",
    ("order", "deliver"): "订单当前状态不能标记送达（%(status)s）",
    ("order", "confirm"): "订单当前状态不能确认收货（%(status)s）",
    ("order", "refund_all"): "订单当前状态不能全额退款（%(status)s）",
    ("order", "refund"): "订单当前状态不能退款（%(status)s）",
    ("refund", "reject"): "退款申请当前状态不能拒绝（%(status)s）",
    ("refund", "refund"): "退款申请当前状态不能退款（%(status)s）",
    ("payout", "mark approved"): "这笔款项当前状态不能通过（%(status)s）",
    ("payout", "mark rejected"): "这笔款项当前状态不能拒绝（%(status)s）",
    ("payout", "mark paid"): "这笔款项当前状态不能标记已打款（%(status)s）",
    ("payout", "mark declined"): "这笔款项当前状态不能驳回（%(status)s）",
    ("promoter", "approve"): "推客申请当前状态不能通过（%(status)s）",
    ("promoter", "reject"): "推客申请当前状态不能拒绝（%(status)s）",
}
ANY_TRANSITION = "当前状态不能进行这个操作（%(status)s）"

# when nothing above knows the refusal: a plain sentence by HTTP status
BY_STATUS: dict[int, str] = {
    400: "操作未能完成",
    401: "请先登录",
    403: "你没有权限进行这个操作",
    404: "没有找到你要的内容",
    409: "操作未能完成，请刷新后重试",
    422: "填写的内容有误，请检查后重试",
    429: "操作太频繁，请稍后再试",
    503: "服务暂时不可用，请稍后再试",
}
FALLBACK = "操作未能完成"

# schema fields of the forms that reach a page's validation error → their labels
FIELD_LABELS: dict[str, str] = {
    "name": "收货人", "phone": "手机号", "region": "所在地区", "detail": "详细地址",
    "quantity": "数量", "password": "密码", "carrier": "快递公司", "tracking_no": "运单号",
}

# community buying (社区团购): leaders, pickup points, batches, pickups
CODES |= {
    "cut_off": "这一期团购已截单", "point_paused": "这个自提点暂停接单了，请换一个自提点",
    "no_pickup_point": "请先选择自提点", "unknown_code": "没有这个取货码，请核对后重试",
    "other_point": "这个订单不在你的自提点取货", "already_picked_up": "这个订单已经取过货了",
    "refund_pending": "买家申请了退款，请等退款处理后再核销",
    "not_arrived": "货还没到你的自提点，请先点到货", "bad_times": "时间须满足 开团 < 截单 ≤ 提货",
}
MESSAGES |= {
    "you have an application waiting for a decision": "你已有一份团长申请在审核中",
    "no pickup code for this order": "这个订单没有取货码",
    "no pickup point chosen yet": "还没有选择自提点",
    "give both lat and lng, or neither": "经纬度须同时填写或都不填",
    "each SKU once per batch": "同一个商品规格在一期团购里只能出现一次",
    "a supplier makes batches of its own goods only": "供货商只能用自己的商品开团",
    "no such batch": "没有这一期团购。", "no such application": "没有这份申请",
    "no such pickup point": "没有这个自提点",
    "only the point's leader can do this": "只有这个自提点的团长可以这样操作",
    "you lead no pickup point with orders in this batch": "你的自提点在这一期没有订单",
    "no dispatch note yet: it is made at the cut-off": "截单后才会生成派送单",
    "opens_at must be before cuts_off_at": "开团时间须早于截单时间",
    "pickup_from may not be before cuts_off_at": "提货时间不能早于截单时间",
    "a batch holds goods of one supplier": "一期团购只能包含同一供货商的商品",
    "only the batch's supplier or an operator can do this":
        "只有这一期团购的供货商或运营可以这样操作",
}
PATTERNS += [(re.compile(p), text) for p, text in [
    (r"a leader's rate may be at most \d+ bps", "团长佣金不能超过 30%"),
    (r"the rate of a batch that is \w+ stays as it was", "截单后不能再改团长佣金"),
    (r"this batch was cut off at .+", "这一期团购已截单"),
    (r"this batch opens at .+", "这一期团购还没开始"),
    (r"SKU \d+ is sold out in this batch", "这件商品在这一期已抢光"),
    (r"SKU \d+ is not in this batch", "这件商品不在这一期团购里"),
    (r"the batch price of SKU \d+ is above its list price", "团购价不能高于商品现价"),
]]
TRANSITIONS |= {
    **{("batch", action): text for action, text in (
        ("open", "这一期团购当前状态不能开团（%(status)s）"),
        ("cut_off", "这一期团购当前状态不能截单（%(status)s）"),
        ("dispatch", "这一期团购当前状态不能发货（%(status)s）"),
        ("arrive", "这一期团购当前状态不能确认到货（%(status)s）"),
        ("close", "这一期团购当前状态不能结束（%(status)s）"),
        ("make the pick list of", "截单后才有集单（%(status)s）"))},
    ("leader application", "approve"): "团长申请当前状态不能通过（%(status)s）",
    ("leader application", "reject"): "团长申请当前状态不能拒绝（%(status)s）",
    ("pickup point", "pause"): "自提点当前状态不能暂停接单（%(status)s）",
    ("pickup point", "resume"): "自提点当前状态不能恢复接单（%(status)s）",
    ("order", "pick up"): "订单当前状态不能核销取货（%(status)s）",
    ("order", "pick_up"): "订单当前状态不能核销取货（%(status)s）",
}
CODES["pickup_order"] = "自提订单随团购送到自提点，不走快递发货"
