"""Chinese search terms (catalog/search.py): segmentation with the domain dictionary, the
tokens indexed, and query terms safe for full-text syntax."""

import pytest

from quanzi.catalog import search


@pytest.mark.parametrize(("words", "cut"), [
    ("上海青", ["上海青"]), ("盒马鲜生", ["盒马鲜生"]), ("五常大米", ["五常大米"]),
    ("阳澄湖大闸蟹", ["阳澄湖大闸蟹"]), ("螺蛳粉", ["螺蛳粉"]), ("洗衣凝珠", ["洗衣凝珠"]),
    ("上海青年", ["上海", "青年"]),
])
def test_domain_dictionary_keeps_words_whole(words, cut):
    assert search.query_terms(words) == cut


def test_index_tokens_hold_the_parts_too():
    assert search.index_tokens("新鲜上海青 500g") == "新鲜 上海 上海青 500g"
    assert search.index_tokens("五常大米", None, "") == "五常 大米 五常大米"


def test_query_terms_drop_punctuation_and_fts_syntax():
    assert search.query_terms('"OR" (*:) NEAR -^') == ["or", "near"]
    assert search.query_terms("！？。,.") == []
    assert search.query_terms("ＡＢＣ１２３") == ["abc123"]
    assert search.fts5_expression(["or", 'a"b']) == '"or" "a""b"'
