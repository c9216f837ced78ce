"""Pure rules: compliance, rates, splits, attribution windows, channels, codes."""

from datetime import UTC, datetime, timedelta

import pytest

from quanzi.core.errors import InvalidInput
from quanzi.referral import codes, domain
from quanzi.referral.domain import Bound, Proposal, Rate, Rules, Touch

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("proposal", "reason"), [
    (Proposal(level3_enabled=True), "third"),
    (Proposal(level3_bp=100), "third"),
    (Proposal(rules=Rules(level1_bp=500, level2_enabled=True, level2_bp=600)), "level 2 may not"),
    (Proposal(rules=Rules(cap_bp=10001)), "cap may not exceed 100%"),
    (Proposal(entry_fee_fen=9900), "fee"),
    (Proposal(purchase_required=True), "purchase"),
    (Proposal(min_purchase_fen=39900), "purchase"),
    (Proposal(recruit_reward_fen=500), "recruiting"),
])
def test_every_non_compliant_config_is_refused_with_its_reason(proposal, reason):
    with pytest.raises(InvalidInput) as refused:
        domain.check_compliance(proposal)
    assert refused.value.code == "non_compliant"
    assert refused.value.status == 422
    assert reason in refused.value.message


def test_all_reasons_are_given_at_once():
    problems = domain.compliance_problems(Proposal(level3_enabled=True, entry_fee_fen=1,
                                                   recruit_reward_fen=1))
    assert len(problems) == 3


def test_defaults_are_compliant_and_level2_off():
    assert domain.check_compliance(Proposal()) is None
    assert Rules().level2_enabled is False


def test_turning_level2_on_succeeds_with_the_legal_caveat():
    caveat = domain.check_compliance(Proposal(rules=Rules(level2_enabled=True, level2_bp=300)))
    assert caveat is not None
    assert "《禁止传销条例》" in caveat and "团队计酬" in caveat
    assert "Chongqing" in caveat and "2022" in caveat


def test_cap_of_exactly_100_percent_and_equal_levels_are_allowed():
    assert domain.check_compliance(Proposal(rules=Rules(cap_bp=10000))) is None
    rules = Rules(level1_bp=500, level2_enabled=True, level2_bp=500)
    assert domain.check_compliance(Proposal(rules=rules)) is not None


def test_rate_override_refuses_level2_above_level1():
    with pytest.raises(InvalidInput) as refused:
        domain.check_rate_override(100, 200)
    assert refused.value.code == "non_compliant"


def test_rate_resolution_product_over_category_over_default():
    rules = Rules(level1_bp=1000, level2_bp=0)
    by_product = {7: Rate(1500, 500)}
    by_category = {"生鲜": Rate(800, 200)}

    def rate(product_id, category):
        return domain.resolve_rate(rules, product_id=product_id, category=category,
                                   by_product=by_product, by_category=by_category)

    assert rate(7, "生鲜") == Rate(1500, 500)
    assert rate(8, "生鲜") == Rate(800, 200)
    assert rate(8, "日用") == Rate(1000, 0)
    assert rate(None, None) == Rate(1000, 0)


def test_split_rounds_down_and_respects_the_cap_cutting_level2_first():
    assert domain.split_line(999, Rate(1000, 500), cap_bp=3000, level2=True) == (99, 49)
    assert domain.split_line(10000, Rate(1500, 1000), cap_bp=2000, level2=True) == (1500, 500)
    assert domain.split_line(10000, Rate(2500, 1000), cap_bp=2000, level2=True) == (2000, 0)
    assert domain.split_line(10000, Rate(1500, 1000), cap_bp=2000, level2=False) == (1500, 0)
    assert domain.split_line(0, Rate(1500, 1000), cap_bp=2000, level2=True) == (0, 0)


def test_remaining_after_partial_refunds_is_exact_and_rounds_down():
    assert domain.remaining_after_refund(100, 1, 3) == 66
    assert domain.remaining_after_refund(100, 2, 3) == 33
    assert domain.remaining_after_refund(100, 3, 3) == 0
    with pytest.raises(InvalidInput):
        domain.remaining_after_refund(100, 4, 3)


def _touch(promoter: int, days_ago: float) -> Touch:
    return Touch(promoter * 10, f"code{promoter:04d}", promoter, NOW - timedelta(days=days_ago))


def test_last_click_within_the_window_wins_and_expires_after_it():
    rules = Rules(attribution_policy="last_click", window_days=7)
    assert domain.credit_order(rules, touch=_touch(1, 6.9), first_touch=None, binding=None,
                               now=NOW).touch.promoter_id == 1
    assert domain.credit_order(rules, touch=_touch(1, 7.1), first_touch=None, binding=None,
                               now=NOW) is None
    assert domain.credit_order(rules, touch=None, first_touch=None, binding=None, now=NOW) is None


def test_last_click_ignores_bindings():
    rules = Rules(attribution_policy="last_click")
    binding = Bound(1, 10, "code0001", NOW + timedelta(days=10))
    credit = domain.credit_order(rules, touch=_touch(2, 1), first_touch=None, binding=binding,
                                 now=NOW)
    assert credit.touch.promoter_id == 2 and credit.bind is False


def test_binding_keeps_the_first_promoter_while_it_lasts():
    rules = Rules(attribution_policy="binding", binding_days=30)
    live = Bound(1, 10, "code0001", NOW + timedelta(seconds=1))
    credit = domain.credit_order(rules, touch=_touch(2, 0), first_touch=None, binding=live,
                                 now=NOW)
    assert credit.touch.promoter_id == 1 and credit.bind is False
    expired = Bound(1, 10, "code0001", NOW)
    credit = domain.credit_order(rules, touch=_touch(2, 0), first_touch=None, binding=expired,
                                 now=NOW)
    assert credit.touch.promoter_id == 2 and credit.bind is True


def test_binding_goes_to_whoever_brought_the_consumer_first():
    rules = Rules(attribution_policy="binding", binding_days=30, window_days=7)
    credit = domain.credit_order(rules, touch=_touch(2, 0), first_touch=_touch(1, 20),
                                 binding=None, now=NOW)
    assert credit.touch.promoter_id == 1 and credit.bind is True
    credit = domain.credit_order(rules, touch=_touch(2, 0), first_touch=_touch(1, 31),
                                 binding=None, now=NOW)
    assert credit.touch.promoter_id == 2


def test_self_purchase_needs_the_rebate_flag():
    assert domain.self_purchase_allowed(Rules(), buyer_id=5, promoter_id=6)
    assert not domain.self_purchase_allowed(Rules(), buyer_id=5, promoter_id=5)
    assert domain.self_purchase_allowed(Rules(self_purchase_rebate=True), buyer_id=5,
                                        promoter_id=5)


@pytest.mark.parametrize(("agent", "channel"), [
    ("Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0.47 NetType/WIFI", "wechat"),
    ("Mozilla/5.0 (Linux; Android 13) MQQBrowser/6.2 TBS QQ/9.0.8.14755", "qq"),
    ("Mozilla/5.0 (iPhone) Weibo (iPhone14,2__weibo__13.9.1__iphone__os17.0)", "weibo"),
    ("Mozilla/5.0 (Linux; Android 12) aweme_280000 JsSdk/1.0", "douyin"),
    ("Mozilla/5.0 Douyin/28.0", "douyin"),
    ("Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36", "browser"),
    ("", "browser"),
])
def test_channel_from_user_agent(agent, channel):
    assert domain.channel_for(agent) == channel


@pytest.mark.parametrize("agent", [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "TelegramBot (like TwitterBot)", "WhatsApp/2.23.20.0", "Mozilla/5.0 Discordbot/2.0",
    "SomeBot LinkPreview/1.0",
])
def test_link_preview_crawlers_are_previews(agent):
    assert domain.is_preview(agent)


def test_people_are_not_previews():
    assert not domain.is_preview("Mozilla/5.0 (iPhone) MicroMessenger/8.0.47")


def test_share_codes_are_random_base62_of_at_least_8():
    made = {codes.new_share_code() for _ in range(200)}
    assert len(made) == 200
    assert all(len(code) >= 8 and codes.looks_like_code(code) for code in made)


@pytest.mark.parametrize(("text", "code"), [
    ("【盒马】上海青 ￥K7dQ2mXa￥ 复制打开", "K7dQ2mXa"),
    ("复制这段 ¥K7dQ2mXa¥ 打开圈子", "K7dQ2mXa"),
    ("$K7dQ2mXa$", "K7dQ2mXa"),
    ("看看这个 https://quanzi.example/s/K7dQ2mXa9z?from=wx 很好", "K7dQ2mXa9z"),
    ("/s/K7dQ2mXa", "K7dQ2mXa"),
    ("\n  ￥AbCdEfGh12￥\n", "AbCdEfGh12"),
    ("no code here ￥short￥", None),
    ("￥K7dQ2m-Xa￥", None),
    ("", None),
])
def test_code_extracted_from_messy_pasted_text(text, code):
    assert codes.extract_code(text) == code


def test_token_format():
    assert codes.token_for("K7dQ2mXa") == "￥K7dQ2mXa￥"


def test_target_paths():
    assert domain.target_path("product", 5) == "/p/5"
    assert domain.target_path("shop", 1, shop_code="abcdEFGH12") == "/shop/abcdEFGH12"
    assert domain.target_path("campaign", 3, campaign_kind="group_buy") == "/group-buys/3"
