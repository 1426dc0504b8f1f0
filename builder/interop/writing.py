"""Matched annotation sets and new articles -> files, never overwriting by accident.

``write_import`` writes; ``finish_import`` is the shared tail of every importer: match to the corpus, then write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from builder.errors import Problem, problem
from builder.interop.annotators import register_annotators
from builder.interop.checking import check_written
from builder.interop.overlaps import apply_overlaps
from builder.interop.matching import ImportedSet, NewArticles, corpus_articles, match_articles
from builder.interop.report import ImportReport, counts, nothing_written
from builder.records import AnnotationSet, RawArticle, Schema
from builder.sources.annotations import annotation_set_to_dict, parse_annotation_set, write_annotation_set
from builder.sources.corpus import meta_to_json


def write_import(sets: Sequence[AnnotationSet], new: Sequence[RawArticle], problems: Sequence[Problem], *,
                 corpus_dir: Path, annotations_dir: Path, overwrite: bool = False,
                 strict: bool = False) -> ImportReport:
    """Write new articles and annotation files. Existing annotation files are kept unless
    ``overwrite``; with ``strict`` nothing at all is written when there is any problem."""
    problems = list(problems)
    for aset in sets:  # the written file must pass the JSON Schema; an importer bug must not write junk
        _, found = parse_annotation_set(annotation_set_to_dict(aset), None)
        problems.extend(found)
    targets = [Path(annotations_dir) / aset.annotator / f"{aset.article_id}.json" for aset in sets]
    keep = [path.exists() and not overwrite for path in targets]
    problems.extend(problem("E413", path, f"article {aset.article_id}", path=path)
                    for aset, path, kept in zip(sets, targets, keep) if kept)
    if strict and problems:
        return nothing_written(problems)
    new_paths = [write_article(article, Path(corpus_dir)) for article in new]
    todo = [aset for aset, kept in zip(sets, keep) if not kept]
    written = [write_annotation_set(aset, annotations_dir) for aset in todo]
    return ImportReport(tuple(written), tuple(new_paths), tuple(problems), counts(todo))


def write_article(article: RawArticle, corpus: Path) -> Path:
    """A new article's raw text and metadata into ``corpus``; returns the metadata file."""
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / article.meta.file).write_bytes(article.text.encode("utf-8"))
    meta_path = corpus / f"{article.id}.meta.json"
    meta_path.write_text(meta_to_json(article.meta), encoding="utf-8")
    return meta_path


def finish_import(imported: Sequence[ImportedSet], problems: Sequence[Problem], *, corpus_dir: Path,
                  annotations_dir: Path, new_articles: NewArticles | None = None, overwrite: bool = False,
                  strict: bool = False, overlaps: str = "refuse", schema: Schema | None = None,
                  annotator_kind: Callable[[str], str | None] | None = None) -> ImportReport:
    """Apply the overlap policy, match what an importer read to the corpus, write it, add its new
    annotators to annotators.yaml (``annotator_kind(id)`` gives their kind, or None), then run validate's
    checks on what was written (against ``schema``, the one labels were checked against); ``problems``
    are the importer's own."""
    kept, dropped, found = apply_overlaps(imported, overlaps)
    articles = corpus_articles(corpus_dir, allow_empty=new_articles is not None)
    sets, new, matched = match_articles(kept, articles, new_articles)
    report = write_import(sets, new, [*problems, *found, *matched], corpus_dir=corpus_dir,
                          annotations_dir=annotations_dir, overwrite=overwrite, strict=strict)
    sources = sorted({item.file for item in imported})
    registration = register_annotators(annotations_dir, report.written, sources, annotator_kind)
    checks = [p for p in check_written(corpus_dir, annotations_dir, report.written, report.new_articles, schema)
              if not (p.code == "E111" and Path(p.file).parent.name in registration.left_out)]  # E436 says it
    return replace(report, dropped=tuple(dropped), registered=registration.added,
                   checks=(*registration.problems, *checks))
