"""build(): list the articles -> build each (in workers, through the cache) -> Parquet sinks -> card -> manifest.

Everything is written into a staging folder that replaces the output folder only when the whole build
succeeded (``output/folder.py``). Every problem of every article is collected before the build fails. Memory
stays bounded: the main process holds the list of file names, the rows of the row groups being filled and
the running totals; the manifest's per-article parts go through temporary files.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from builder import DATASET_NAME
from builder.agreement.report import card_section
from builder.article.build import ArticleContext
from builder.config import BuildConfig
from builder.errors import InputError, Problem, problem
from builder.evaluation.results import benchmarks_section
from builder.output.card import CardFigures, SplitFigures, figure_links, render_card
from builder.review.figures import write_overview_figures
from builder.output.folder import staged_output
from builder.output.lock import build_lock
from builder.output.manifest import (BY_ARTICLE, INPUTS, MANIFEST, Scratch, content_sha256, manifest_outputs,
                                     sorted_inputs, write_json_streamed)
from builder.output.manifest import tokenization_entry
from builder.output.parquet import ParquetSink, Sinks
from builder.output.statements import corpus_facts, present_layers
from builder.output.totals import Totals
from builder.release.croissant import write_croissant
from builder.release.licences import annotations_licence, redistributable
from builder.release.record import card_statement, licence_details, manifest_entry, write_hydration
from builder.release.withhold import ReleaseStep
from builder.sources.listing import InputIndex, index_inputs
from builder.sources.safe_files import read_input
from builder.speed.cache import BuildCache
from builder.speed.keys import fingerprint
from builder.speed.runner import Job, build_chunk, frozen_gc, ordered_map, set_job
from builder.validate import corpus_article, in_file_order
from builder.views import VIEWS

LOG = logging.getLogger(__name__)
PROGRESS_MIN_ARTICLES = 50  # below this a progress bar is noise
CHUNK_ARTICLES = 16  # articles per task sent to a worker


def build(config: BuildConfig) -> Path:
    """Build the dataset folder of ``config``; on any problem raise and leave the old output as it was."""
    with frozen_gc(), build_lock(config.output):
        index = index_inputs(config.corpus_dir, config.annotations_dir)
        if index.schema is None:
            raise InputError(corpus_only_problems(index))
        prose = card_prose(Path(config.card_path))
        features = {name: view.features(index.schema) for name, view in VIEWS.items()}
        schemas = {name: f.arrow_schema for name, f in features.items()}
        cache = None
        if config.cache_dir is not None:
            cache = BuildCache(config.cache_dir, fingerprint(config.hash(), config.annotations_dir), schemas)
        schema_path = Path(config.annotations_dir) / "schema.yaml"
        allowed, annotations_licensed = redistributable(schema_path), annotations_licence(schema_path)
        with staged_output(config.output) as staging, tempfile.TemporaryDirectory(prefix="newsstance-") as tmp:
            while True:
                scratch, sinks = Scratch(Path(tmp)), Sinks(staging, schemas, config.rows_per_group)
                release = ReleaseStep(config.release == "public", allowed, annotations_licensed)
                totals = run_articles(index, Job(ArticleContext.of(index, config), schemas, cache), sinks, scratch,
                                      config, release)
                if not totals.misfiled or index.by_content:
                    break
                scratch.close()  # a file names another article than its file name: group by content, start again
                sinks.close()  # its files are removed below with the rest of the staging folder
                for child in (*staging.iterdir(), *Path(tmp).iterdir()):
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
                index = index_inputs(config.corpus_dir, config.annotations_dir, by_content=True)
            problems = list(index.problems) + totals.problems
            if problems:
                raise InputError(in_file_order(problems))
            finish(staging, config, totals, sinks.close(), scratch, features, prose, index, release)
            scratch.close()
        if cache is not None:
            cache.commit()
    return config.output


def run_articles(index: InputIndex, job: Job, sinks: Sinks, scratch: Scratch, config: BuildConfig,
                 release: ReleaseStep) -> Totals:
    """Every article through the workers: rows into the sinks, summaries into the totals."""
    totals, origins = Totals(), Counter()
    articles = iter(index)
    if config.progress and len(index) >= PROGRESS_MIN_ARTICLES:
        articles = tqdm(articles, total=len(index), desc="building", unit="article", file=sys.stderr)
    for result in ordered_map(build_chunk, articles, workers=config.workers, chunk_size=CHUNK_ARTICLES,
                              initializer=set_job, initargs=(job,)):
        for outcome in result.outcomes:
            origins[outcome.origin] += 1
            totals.problems += outcome.problems
            totals.misfiled |= outcome.misfiled
            if outcome.summary is not None:
                totals.add(outcome.summary)
                scratch.add(outcome.summary)
                if job.cache is not None and outcome.known is not None:
                    job.cache.remember(outcome.meta, outcome.known)
        if job.cache is not None and result.chunk is not None:
            job.cache.used_chunks.add(result.chunk)
        if not totals.failed:  # once the build is known to fail, only checking goes on
            for (name, split), batches in release.apply(result.batches).items():
                for batch in batches:
                    sinks.add(name, split, batch)
    LOG.info("%d articles: %d built, %d taken from the cache (%d without reading their files)", sum(origins.values()),
             origins["built"], origins["cache"] + origins["cache, unread"], origins["cache, unread"])
    return totals


def finish(staging: Path, config: BuildConfig, totals: Totals, written: dict[tuple[str, str], ParquetSink],
           scratch: Scratch, features, prose: str, index: InputIndex,
           release: ReleaseStep) -> None:
    """The card and the manifest of a build whose Parquet files are written."""
    splits: dict[str, dict[str, SplitFigures]] = {}
    for (name, split), sink in written.items():
        splits.setdefault(name, {})[split] = SplitFigures(sink.rows, sink.arrow_bytes, sink.path.stat().st_size)
    agreement = totals.agreement.report()
    figures = CardFigures(
        version=config.version, articles=totals.annotated, splits=splits, labels=totals.labels,
        gold_sources=totals.gold_sources, allow_unadjudicated=config.allow_unadjudicated,
        unadjudicated=release.shown_disagreements(totals.unadjudicated_of), split_tokens=totals.split_tokens,
        facts=corpus_facts(index, agreement.corpus.pairs, totals.languages, totals.outlets),
        release_statement=card_statement(release, config.release, config.include_restricted_texts, config.version),
        license_details=licence_details(release))
    parquet = {sink.path.relative_to(staging).as_posix(): sink for sink in written.values()}
    hashes = {name: sink.sha256 for name, sink in parquet.items()}
    content = content_sha256(hashes)
    sections = {"agreement": card_section(agreement),
                "benchmarks": benchmarks_section(Path(config.benchmarks_dir), content,
                                                 [layer.config for layer in present_layers(totals.labels).values()])}
    sections["agreement"] += figure_links(write_overview_figures(staging, totals.labels, agreement))
    (staging / "README.md").write_text(render_card(prose, figures, features, sections), encoding="utf-8")
    if config.release == "public" and release.restricted:
        write_hydration(staging, release)
    agreement_json = agreement.to_json()
    agreement_json["by_article"] = BY_ARTICLE
    write_croissant(staging, config, hashes, features, prose, agreement_json, release)
    write_json_streamed(staging / MANIFEST, {
        "dataset": DATASET_NAME,
        "version": config.version,
        "builder": builder_versions(),
        "config_hash": config.hash(),
        "content_sha256": content,
        "build_flags": {"allow_unadjudicated": config.allow_unadjudicated},
        "release": manifest_entry(release, config.release, config.include_restricted_texts, config.version),
        "articles": {"annotated": totals.annotated, "unannotated_skipped": totals.articles - totals.annotated},
        "gold_sources": dict(sorted(totals.gold_sources.items())),
        "unadjudicated_disagreements": figures.unadjudicated,
        "tokenization": tokenization_entry(totals.languages, totals.split_tokens),
        "agreement": agreement_json,
        "inputs": INPUTS,
        "outputs": manifest_outputs(staging, {name: sink.rows for name, sink in parquet.items()}, hashes),
    }, {BY_ARTICLE: scratch.agreement_entries(), INPUTS: sorted_inputs(scratch, config)})


def card_prose(path: Path) -> str:
    """The text of DATASET_CARD.md (a regular file, not a link out of its folder: E802, E803), or E816."""
    try:
        return read_input(path, path.parent, "card_bytes").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 (byte offset {exc.start})"
        raise InputError([problem("E816", path, path=path, detail=detail or str(exc))]) from None


def builder_versions() -> dict[str, str]:
    from importlib.metadata import version
    return {name: version(name) for name in ("newsstance", "datasets", "pyarrow", "spacy", "huggingface_hub")}


def corpus_only_problems(index: InputIndex) -> tuple[Problem, ...]:
    """Without a label schema only the corpus can be checked; its problems and the schema's."""
    found = list(index.problems)
    for files in index:
        _, problems = corpus_article(files)
        found += [((0, "", os.path.basename(files.meta)), p) for p in problems]
    return in_file_order(found)
