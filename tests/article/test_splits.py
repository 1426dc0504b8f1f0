from collections import Counter

from builder.config import DEFAULT_SPLIT_RATIOS
from builder.records import ArticleMeta
from builder.article.splits import hash_fraction, split_of


def meta(article_id, split=None):
    return ArticleMeta(article_id, f"{article_id}.txt", "0" * 64, "en", None, None, None, "r", split=split)


def test_split_depends_only_on_the_id():
    assert split_of(meta("abc"), DEFAULT_SPLIT_RATIOS) == split_of(meta("abc"), DEFAULT_SPLIT_RATIOS)
    assert 0 <= hash_fraction("abc") < 1


def test_ratios_hold_over_many_ids():
    counts = Counter(split_of(meta(f"article-{i}"), DEFAULT_SPLIT_RATIOS) for i in range(10_000))
    assert abs(counts["train"] / 10_000 - 0.8) < 0.02
    assert abs(counts["test"] / 10_000 - 0.1) < 0.02


def test_metadata_overrides_the_hash():
    assert split_of(meta("abc", split="validation"), DEFAULT_SPLIT_RATIOS) == "validation"


def test_adding_articles_never_moves_existing_ones():
    before = {f"a{i}": split_of(meta(f"a{i}"), DEFAULT_SPLIT_RATIOS) for i in range(100)}
    after = {f"a{i}": split_of(meta(f"a{i}"), DEFAULT_SPLIT_RATIOS) for i in range(200)}
    assert all(after[k] == v for k, v in before.items())
