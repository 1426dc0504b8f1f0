"""build(): the stages in order, nothing else.

validate inputs -> choose gold per article -> agreement -> per article: clean, project, tokenize,
views -> Parquet -> card -> manifest, all in a staging folder moved into place at the end.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import datasets
import huggingface_hub
import pyarrow
import spacy
from tqdm import tqdm

from . import DATASET_NAME
from .adjudicate import GoldChoice, choose_gold
from .agreement import card_section, corpus_agreement, item_agreement
from .align import tokenize
from .card import CardFigures, SplitFigures, render_card
from .clean import clean_article
from .config import BuildConfig
from .errors import InputError, Problem
from .project import project_set
from .records import AnnotationSet, BuiltArticle, RawArticle
from .schema import CONFIGS, features_for
from .splits import split_of
from .validate import Inputs, checked_inputs
from .views import (ItemScores, annotation_rows, cleaning_row, documents_row, ner_rows,
                    stance_view_rows)
from .write import MANIFEST, Sinks, manifest_outputs, staged_output, write_json

PROGRESS_MIN_ARTICLES = 50  # below this a progress bar is noise


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """The rows one article contributes to each config, and its split."""

    split: str
    rows: Mapping[str, list[dict]]
    gold_source: str


def builder_versions() -> dict[str, str]:
    from importlib.metadata import version
    return {"newsstance": version("newsstance"), "datasets": datasets.__version__,
            "pyarrow": pyarrow.__version__, "spacy": spacy.__version__,
            "huggingface_hub": huggingface_hub.__version__}


def input_files(config: BuildConfig) -> dict[str, Path]:
    """Every file the build reads, by the name the manifest gives it."""
    files = {f"corpus/{p.name}": p for p in sorted(Path(config.corpus_dir).iterdir()) if p.is_file()}
    files |= {f"annotations/{p.relative_to(config.annotations_dir).as_posix()}": p
              for p in sorted(Path(config.annotations_dir).rglob("*")) if p.is_file()}
    files["DATASET_CARD.md"] = Path(config.card_path)
    if Path(config.benchmarks_dir).is_dir():
        files |= {f"benchmarks/results/{p.name}": p for p in sorted(Path(config.benchmarks_dir).glob("*.json"))}
    return dict(sorted(files.items()))


def choose_all_gold(inputs: Inputs, allow_unadjudicated: bool) -> dict[str, GoldChoice]:
    """Gold per annotated article; every article's refusal is collected before raising."""
    chosen: dict[str, GoldChoice] = {}
    problems: list[Problem] = []
    for article_id, sets in inputs.sets_by_article.items():
        try:
            chosen[article_id] = choose_gold(article_id, sets, allow_unadjudicated=allow_unadjudicated)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return chosen


def article_rows(article: RawArticle, sets: Sequence[AnnotationSet], choice: GoldChoice,
                 inputs: Inputs, config: BuildConfig) -> ArticleRows:
    """One article through clean, project, tokenize and the views."""
    clean = clean_article(article, choice.gold.cleaning)
    annotator_sets = [s for s in sets if not s.is_gold]
    built = BuiltArticle(
        clean=clean, split=split_of(article.meta, config.split_ratios),
        tokens=tokenize(clean.text, article.meta.language), gold=project_set(choice.gold, clean),
        annotator_sets=tuple(project_set(s, clean) for s in annotator_sets))
    scores = {}
    for aset in annotator_sets:
        others = [s for s in annotator_sets if s is not aset]
        if others:
            item = item_agreement(aset, others)
            scores[aset.annotator] = ItemScores(item.entities, item.stances, item.debris)
    rows = {
        "documents": [documents_row(built, choice.source)],
        "ner": ner_rows(built),
        "stance": stance_view_rows(built, inputs.schema.targets),
        "cleaning": [cleaning_row(built)],
        "annotations": annotation_rows(built, inputs.annotators, scores),
    }
    return ArticleRows(built.split, rows, choice.source)


def with_progress(items: Sequence, enabled: bool, what: str) -> Iterable:
    if enabled and len(items) >= PROGRESS_MIN_ARTICLES:
        return tqdm(items, desc=what, unit="article", file=sys.stderr)
    return items


def annotated_articles(inputs: Inputs) -> Iterator[RawArticle]:
    return (a for a in inputs.articles if a.id in inputs.sets_by_article)


def build(config: BuildConfig) -> Path:
    """Build the dataset folder of ``config``; on any problem raise and leave the old output as it was."""
    inputs = checked_inputs(config.corpus_dir, config.annotations_dir)
    golds = choose_all_gold(inputs, config.allow_unadjudicated)
    agreement = corpus_agreement(inputs.sets_by_article, {a.id: len(a.text) for a in inputs.articles})
    features = {c: features_for(c, inputs.schema) for c in CONFIGS}
    prose = Path(config.card_path).read_text(encoding="utf-8")
    articles = list(annotated_articles(inputs))
    counts = {"entity": Counter(), "stance": Counter(), "debris": Counter(), "source": Counter()}

    with staged_output(config.output) as staging:
        sinks = Sinks(staging, features, config.rows_per_group)
        for article in with_progress(articles, config.progress, "building"):
            choice = golds[article.id]
            result = article_rows(article, inputs.sets_by_article[article.id], choice, inputs, config)
            for name, rows in result.rows.items():
                for row in rows:
                    sinks.add(name, result.split, row)
            counts["entity"].update(e.label for e in choice.gold.entities)
            counts["stance"].update(s.label for s in choice.gold.stances)
            counts["debris"].update(d.reason for d in choice.gold.cleaning)
            counts["source"][choice.source] += 1
        written = sinks.close()
        splits: dict[str, dict[str, SplitFigures]] = {}
        for (name, split), sink in written.items():
            splits.setdefault(name, {})[split] = SplitFigures(sink.rows, sink.arrow_bytes, sink.path.stat().st_size)
        figures = CardFigures(
            version=config.version, articles=len(articles), splits=splits, entity_labels=counts["entity"],
            stance_labels=counts["stance"], debris_reasons=counts["debris"], gold_sources=counts["source"],
            allow_unadjudicated=config.allow_unadjudicated,
            unadjudicated=[d for a in articles for d in golds[a.id].disagreements])
        sections = {"agreement": card_section(agreement), "benchmarks": benchmarks_markdown(config)}
        (staging / "README.md").write_text(render_card(prose, figures, features, sections), encoding="utf-8")
        write_json(staging / MANIFEST, {
            "dataset": DATASET_NAME,
            "version": config.version,
            "builder": builder_versions(),
            "config_hash": config.hash(),
            "build_flags": {"allow_unadjudicated": config.allow_unadjudicated},
            "articles": {"annotated": len(articles), "unannotated_skipped": len(inputs.articles) - len(articles)},
            "gold_sources": dict(sorted(counts["source"].items())),
            "unadjudicated_disagreements": figures.unadjudicated,
            "agreement": agreement.to_json(),
            "inputs": {name: sha256_of(path) for name, path in input_files(config).items()},
            "outputs": manifest_outputs(staging, {sink.path.relative_to(staging).as_posix(): sink.rows
                                                  for sink in written.values()}),
        })
    return config.output


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def benchmarks_markdown(config: BuildConfig) -> str:
    try:
        from .evaluate import benchmarks_section
    except ImportError:  # pragma: no cover - evaluate ships with the package
        return "No benchmark results are on record for this version."
    return benchmarks_section(Path(config.benchmarks_dir), config.version)
