"""Chinese product search: jieba segmentation plus the database's full-text index.

Products are indexed as space-separated words (``index_tokens``: jieba's search
mode over title, category and description, with the domain dictionary ``dict.txt``
so that 上海青 or 盒马鲜生 stay whole). A query is cut in precise mode
(``query_terms``) and every term must match.

* SQLite: the FTS5 table ``product_search(title, body)`` (migration 0002), keyed by
  product id, written by ``sync_product`` in the caller's transaction and ranked by
  ``bm25`` with the title weighted ``TITLE_WEIGHT`` times the rest.
* PostgreSQL: a GIN index on ``to_tsvector('simple', search_tokens)``, queried with
  ``plainto_tsquery('simple', ...)`` and ranked by ``ts_rank`` plus the number of
  query terms found in the title; nothing to sync.

Both backends see only letters and digits: every other character is dropped before
it reaches the database, and FTS5 terms are quoted, so user input never becomes
query syntax.
"""

import logging
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

import jieba
from sqlalchemy import (
    ColumnElement,
    Double,
    Subquery,
    case,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from quanzi.catalog.models import Product
from quanzi.core.config import get_settings

DICTIONARY = Path(__file__).with_name("dict.txt")
TITLE_WEIGHT = 4.0
MAX_QUERY_TERMS = 12
STOPWORDS = frozenset(["的", "了", "和", "与", "及", "或", "是", "在", "之"])
_WORD = re.compile(r"[^\W_]+")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _cache_dir() -> Path:
    """Where jieba keeps its prefix-dictionary cache: the data folder, else tmp."""
    folder = get_settings().data_dir / "cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return folder


def tokenizer() -> jieba.Tokenizer:
    """The process's one jieba tokenizer with the domain dictionary, built on first use.

    Thread-safe; the first call takes about a second (less with the cache), later
    calls are free. jieba's own log lines are silenced.
    """
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            built = jieba.Tokenizer()
            built.tmp_dir = str(_cache_dir())
            with DICTIONARY.open("rb") as words:  # jieba leaves a path's file open
                built.load_userdict(words)
            _tokenizer = built
    return _tokenizer


def _words(pieces: list[str]) -> list[str]:
    """Lower-cased runs of letters and digits from jieba's pieces, stopwords dropped."""
    words = []
    for piece in pieces:
        for word in _WORD.findall(piece.lower()):
            if word not in STOPWORDS:
                words.append(word)
    return words


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def index_tokens(*texts: str | None) -> str:
    """The searchable words of ``texts`` (search mode), space-joined.

    ``index_tokens("新鲜上海青 500g")`` == ``"新鲜 上海 上海青 500g"``.
    """
    cut = tokenizer().cut_for_search
    words: list[str] = []
    for value in texts:
        if value:
            words.extend(_words(list(cut(_normal(value)))))
    return " ".join(words)


def query_terms(query: str) -> list[str]:
    """The distinct words of a user's query (precise mode), at most ``MAX_QUERY_TERMS``.

    ``query_terms("上海青")`` == ``["上海青"]``; punctuation-only input gives ``[]``.
    """
    terms: list[str] = []
    for word in _words(list(tokenizer().cut(_normal(query)))):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


def fts5_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term, each quoted as a string."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def sync_product(session: Session, product_id: int, title_tokens: str, tokens: str) -> None:
    """Write one product's words into the SQLite FTS table (flushes); no-op elsewhere."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("DELETE FROM product_search WHERE rowid = :id"), {"id": product_id})
    session.execute(text("INSERT INTO product_search (rowid, title, body) "
                         "VALUES (:id, :title, :body)"),
                    {"id": product_id, "title": title_tokens, "body": tokens})


def matches(session: Session, terms: list[str]) -> Subquery:
    """A subquery ``(product_id, score)`` of products matching all ``terms``.

    A higher score is a better match, on both backends. ``terms`` must not be empty.
    """
    if not terms:
        raise ValueError("no search terms")
    if session.get_bind().dialect.name == "sqlite":
        bm25 = func.bm25(literal_column("product_search"), TITLE_WEIGHT, 1.0)
        score: ColumnElement[float] = -bm25
        return (select(literal_column("product_search.rowid").label("product_id"),
                       score.label("score"))
                .select_from(text("product_search"))
                .where(text("product_search MATCH :fts").bindparams(
                    fts=fts5_expression(terms)))
                .subquery("hits"))
    vector = func.to_tsvector(literal_column("'simple'"), Product.search_tokens)
    query = func.plainto_tsquery(literal_column("'simple'"), " ".join(terms))
    score = cast(func.ts_rank(vector, query), Double) + _title_hits(terms)
    return (select(Product.id.label("product_id"), score.label("score"))
            .where(vector.op("@@")(query))
            .subquery("hits"))


def _title_hits(terms: list[str]) -> ColumnElement[float]:
    """How many of ``terms`` the raw title contains: PostgreSQL's title weighting.

    ``ts_rank`` (at most 1) then orders products with as many title hits.
    """
    title = func.lower(Product.title)
    hits = [case((func.strpos(title, term) > 0, 1.0), else_=0.0) for term in terms]
    return cast(sum(hits[1:], hits[0]), Double)
