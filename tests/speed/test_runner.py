"""builder/speed/runner.py: chunks in worker processes, results in order; the build in several processes gives the bytes of one."""

import json
import os
import pickle
import shutil
import sys

import pytest

import builder.speed.runner as runner
from builder.errors import InputError
from builder.speed.runner import chunked, ordered_map
from builder.pipeline import build
from benchmarks import synthetic
from factories import config_for, files_of


def doubled(chunk):
    return [(x * 2, os.getpid()) for x in chunk]


def fails_on_seven(chunk):
    if 7 in chunk:
        raise RuntimeError("seven")
    return chunk


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order(workers):
    results = [r for chunk in ordered_map(doubled, range(50), workers=workers, chunk_size=3) for r in chunk]
    assert [value for value, _ in results] == [x * 2 for x in range(50)]
    pids = {pid for _, pid in results}
    assert (pids == {os.getpid()}) if workers == 1 else (os.getpid() not in pids)


def test_a_worker_error_reaches_the_caller():
    with pytest.raises(RuntimeError, match="seven"):
        list(ordered_map(fails_on_seven, range(20), workers=2, chunk_size=2))


def test_a_function_workers_cannot_load_fails_in_the_caller(monkeypatch):
    def local(chunk):  # not importable by name, so it cannot be sent to a worker
        return chunk

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started: the function should have been refused before")
    monkeypatch.setattr(runner, "ProcessPoolExecutor", no_pool)
    with pytest.raises((pickle.PicklingError, AttributeError)):
        list(ordered_map(local, range(4), workers=2, chunk_size=2))


def test_chunks_and_arguments():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError, match="workers and chunk_size must be at least 1"):
        list(ordered_map(doubled, [1], workers=0, chunk_size=1))






@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("parallel") / "project", articles=40, seed=7, gold_share=0.7)


@pytest.mark.slow
def test_two_workers_give_the_bytes_of_one(project, tmp_path):
    one = build(config_for(project, tmp_path / "one", rows_per_group=7))
    two = build(config_for(project, tmp_path / "two", rows_per_group=7, workers=2))
    assert files_of(one) == files_of(two)
    manifest = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["articles"]["annotated"] == 40 and len(manifest["agreement"]["by_article"]) == 40


def test_every_problem_of_every_worker_is_reported_and_nothing_is_replaced(project, tmp_path):
    output = build(config_for(project, tmp_path / "out", workers=2))
    before = files_of(output)
    broken = tmp_path / "broken"
    shutil.copytree(project, broken)
    raw = sorted((broken / "corpus").glob("*.txt"))
    raw[3].write_text(raw[3].read_text(encoding="utf-8") + "edited\n", encoding="utf-8")  # E008
    gold = sorted((broken / "annotations" / "gold").glob("*.json"))[-1]
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["entities"][0]["label"] = "PER"  # E106
    gold.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as failure:
        build(config_for(broken, output, workers=2))
    assert {"E008", "E106"} <= set(failure.value.codes)
    assert files_of(output) == before


def test_the_manifest_agreement_is_the_agreement_report(project, tmp_path):
    """The build's per-article pieces (agreement_piece of each article's compare_article) add up to
    what `newsstance agreement` reports of the same files."""
    from builder.agreement.corpus import corpus_agreement, group_by_article
    from builder.sources.annotations import scan_annotations
    from builder.sources.corpus import load_corpus
    output = build(config_for(project, tmp_path / "out"))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    sets, problems = scan_annotations(project / "annotations")
    assert not problems
    lengths = {article.id: len(article.text) for article in load_corpus(project / "corpus")}
    assert manifest["agreement"] == corpus_agreement(group_by_article(sets), lengths).to_json()


def test_a_chunk_sent_by_a_worker_arrives_with_the_same_batches_in_the_same_order(project, tmp_path, monkeypatch):
    from builder.article.build import ArticleContext
    from builder.sources.listing import index_inputs
    from builder.views import VIEWS

    config = config_for(project, tmp_path / "out")
    index = index_inputs(config.corpus_dir, config.annotations_dir)
    schemas = {name: view.features(index.schema).arrow_schema for name, view in VIEWS.items()}
    monkeypatch.setattr(runner, "JOB", None)  # given back after the test
    runner.set_job(runner.Job(ArticleContext.of(index, config), schemas, None))
    result = runner.build_chunk(list(index)[:12])
    arrived = pickle.loads(pickle.dumps(result))
    assert list(arrived.batches) == list(result.batches) and {name for name, _ in arrived.batches} == set(VIEWS)
    for key, batches in result.batches.items():
        (batch,) = batches  # no cache: one batch of the chunk's rows per (config, split)
        (sent,) = arrived.batches[key]
        assert sent.equals(batch) and sent.schema.equals(batch.schema, check_metadata=True), key
    assert [o.summary for o in arrived.outcomes] == [o.summary for o in result.outcomes]
