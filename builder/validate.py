"""Every check of the inputs, one report (``validate_inputs``): what ``newsstance validate`` prints.

``validate_inputs`` lists the files (``sources.listing.index_inputs``), runs ``article.checks.check_article``
over each article of the index and returns all problems at once, in file order, with counts of what was
checked. Nothing stops at the first problem. When a file says another article id than its name, the
files are listed again grouped by content (see ``sources.listing``) and checked again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.article.checks import article_from, check_article, set_counts
from builder.errors import Problem
from builder.records import AnnotationSet, Annotator, RawArticle, Schema
from builder.sources.listing import ArticleFiles, index_inputs, problem_order, read_files


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the build reads, loaded and sorted."""

    articles: tuple[RawArticle, ...]
    sets_by_article: Mapping[str, tuple[AnnotationSet, ...]]
    schema: Schema
    annotators: Mapping[str, Annotator]


@dataclass(frozen=True, slots=True)
class Report:
    inputs: Inputs | None
    problems: tuple[Problem, ...]
    counts: Mapping[str, int]  # what was checked: articles, annotation sets, entities, stances, debris

    @property
    def ok(self) -> bool:
        return not self.problems


def group_sets(sets: Iterable[AnnotationSet]) -> dict[str, tuple[AnnotationSet, ...]]:
    grouped: dict[str, list[AnnotationSet]] = defaultdict(list)
    for aset in sets:
        grouped[aset.article_id].append(aset)
    return {key: tuple(sorted(value, key=lambda s: s.annotator)) for key, value in sorted(grouped.items())}


def in_file_order(found: Iterable[tuple[tuple, Problem]]) -> tuple[Problem, ...]:
    return tuple(p for _, p in sorted(found, key=lambda item: item[0]))


def validate_inputs(corpus_dir: Path, annotations_dir: Path) -> Report:
    """Load corpus and annotations and run every check; never raises for bad input."""
    index = index_inputs(corpus_dir, annotations_dir)
    checked = [check_article(read_files(files), index.schema, index.annotators, by_content=index.by_content)
               for files in index] if index.schema is not None else None
    if checked is not None and any(c.misfiled for c in checked):
        index = index_inputs(corpus_dir, annotations_dir, by_content=True)
        checked = [check_article(read_files(files), index.schema, index.annotators, by_content=True) for files in index]
    if checked is None:  # no label schema: the corpus is still checked, the annotations cannot be
        listed = list(index)
        loaded = [corpus_article(files) for files in listed]
        found = [(problem_order(0, files.meta), p) for files, (_, ps) in zip(listed, loaded) for p in ps]
        return Report(None, in_file_order(found + list(index.problems)),
                      {"articles": sum(a is not None for a, _ in loaded)})
    found = list(index.problems) + [item for c in checked for item in c.problems]
    counts = sum((c.counts for c in checked), Counter()) + sum((set_counts(s) for s in index.unmatched), Counter())
    articles = sorted((c.article for c in checked if c.article is not None), key=lambda a: a.id)
    inputs = Inputs(tuple(articles), group_sets(s for c in checked for s in c.sets), index.schema, index.annotators)
    return Report(inputs, in_file_order(found), {
        "articles": len(articles),
        "annotation sets": counts["annotation sets"],
        "entities": counts["entities"],
        "stances": counts["stances"],
        "debris spans": counts["debris spans"],
    })


def corpus_article(files: ArticleFiles) -> tuple[RawArticle | None, list[Problem]]:
    """The article of ``files`` without its annotation files (when there is no label schema to check them)."""
    data = read_files(ArticleFiles(files.name, files.meta, files.root, ()))
    return article_from(Path(files.meta), data.document, data.raw, data.raw_sha256)


def format_report(report: Report) -> str:
    """Counts of what was checked, then every problem grouped by code, with a count per group."""
    lines = ["checked: " + ", ".join(f"{n} {what}" for what, n in report.counts.items())]
    if report.ok:
        lines.append("no problems found")
        return "\n".join(lines)
    by_code: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        by_code[p.code].append(p)
    lines.append(f"{len(report.problems)} problem(s) of {len(by_code)} kind(s):")
    for code in sorted(by_code):
        group = by_code[code]
        lines.append(f"\n[{code}] {len(group)} problem(s)")
        lines += [f"  {str(p)}".replace("\n", "\n  ") for p in group]
    return "\n".join(lines)
