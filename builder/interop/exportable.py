"""Whether an annotation set can be exported over its article (in the corpus, with the text it was made on)."""

from __future__ import annotations

from collections.abc import Mapping

from builder.errors import Problem, problem
from builder.records import AnnotationSet, RawArticle


def set_problem(aset: AnnotationSet, articles: Mapping[str, RawArticle]) -> Problem | None:
    """E102 when the set's article is not in the corpus, E103 when its text changed since; else None."""
    article = articles.get(aset.article_id)
    if article is None:
        return problem("E102", str(aset.path or ""), f"annotator {aset.annotator}", id=aset.article_id)
    if aset.raw_sha256 != article.meta.sha256:
        return problem("E103", str(aset.path or ""), f"article {aset.article_id}",
                       actual=aset.raw_sha256, expected=article.meta.sha256)
    return None
