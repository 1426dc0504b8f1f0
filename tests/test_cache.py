"""builder/cache.py: a rebuild takes unchanged articles and row groups from the cache, and its output
is byte for byte that of a clean build."""

import json
import shutil
import sys

import pytest

import builder.parallel as parallel
import builder.write as write
from builder.cache import BuildCache, article_key, fingerprint
from builder.config import BuildConfig
from builder.pipeline import build
from conftest import REPO
from factories import make_project

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def config_for(root, output, **options):
    return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=output,
                       card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results", **options)


@pytest.fixture
def project(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("cache") / "project", articles=30, seed=11, gold_share=0.8)


@pytest.fixture
def counted(monkeypatch):
    """How many articles were checked (not taken from the cache) and row groups encoded."""
    counts = {"checked": 0, "encoded": 0}
    check, encode = parallel.check_article, write.encode_group

    def counting_check(*args, **kwargs):
        counts["checked"] += 1
        return check(*args, **kwargs)

    def counting_encode(*args, **kwargs):
        counts["encoded"] += 1
        return encode(*args, **kwargs)
    monkeypatch.setattr(parallel, "check_article", counting_check)
    monkeypatch.setattr(write, "encode_group", counting_encode)
    return counts


def change_a_gold_label(root):
    path = sorted((root / "annotations" / "gold").glob("*.json"))[5]
    data = json.loads(path.read_text(encoding="utf-8"))
    entity = next(e for e in data["entities"] if e["label"] in ("GPE", "ORG"))
    entity["label"] = "ORG" if entity["label"] == "GPE" else "GPE"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_rebuild_after_one_change_redoes_one_article_and_equals_a_clean_build(project, tmp_path, counted):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache, rows_per_group=4))
    assert files_of(first) == files_of(build(config_for(project, tmp_path / "plain", rows_per_group=4)))
    change_a_gold_label(project)
    counted.update(checked=0, encoded=0)
    again = build(config_for(project, tmp_path / "again", cache_dir=cache, rows_per_group=4))
    assert counted["checked"] == 1
    changed_groups = counted["encoded"]
    clean = build(config_for(project, tmp_path / "clean", rows_per_group=4))
    assert files_of(again) == files_of(clean)
    assert 0 < changed_groups < counted["encoded"] - changed_groups  # most row groups were copied as bytes


def test_an_unchanged_rebuild_reads_no_article(project, tmp_path, counted):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    counted.update(checked=0, encoded=0)
    second = build(config_for(project, tmp_path / "second", cache_dir=cache, workers=2))
    assert counted == {"checked": 0, "encoded": 0}
    assert files_of(first) == files_of(second)


def test_an_unreadable_entry_counts_as_missing(project, tmp_path):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    for entry in (cache / "articles").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:5])
    for entry in (cache / "groups").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    assert files_of(build(config_for(project, tmp_path / "second", cache_dir=cache))) == files_of(first)


def test_other_options_or_labels_do_not_reuse_entries(project, tmp_path, counted):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    counted.update(checked=0)
    allowed = build(config_for(project, tmp_path / "allowed", cache_dir=cache, allow_unadjudicated=True))
    assert counted["checked"] == 30
    assert files_of(allowed) == files_of(build(config_for(project, tmp_path / "plain", allow_unadjudicated=True)))
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n# a comment changes the checksum\n", encoding="utf-8")
    counted.update(checked=0)
    build(config_for(project, tmp_path / "schema", cache_dir=cache, allow_unadjudicated=True))
    assert counted["checked"] == 30


def test_entries_the_last_build_did_not_use_are_removed(project, tmp_path):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    before = {p.name for p in (cache / "articles").rglob("*") if p.is_file()}
    change_a_gold_label(project)
    build(config_for(project, tmp_path / "second", cache_dir=cache))
    after = {p.name for p in (cache / "articles").rglob("*") if p.is_file()}
    assert len(before) == len(after) == 30 and len(after - before) == 1


def test_keys_depend_on_every_input(tmp_path):
    root = make_project(tmp_path)
    prefix = fingerprint("config-a", root / "annotations")
    assert prefix != fingerprint("config-b", root / "annotations")
    inputs = [("corpus/a1.meta.json", "1" * 64), ("annotations/gold/a1.json", "2" * 64)]
    assert article_key(prefix, inputs) != article_key(prefix, inputs[:1])
    assert article_key(prefix, inputs) != article_key(prefix, [(inputs[0][0], "3" * 64), inputs[1]])


def test_a_missing_entry_or_folder_is_no_error(tmp_path):
    cache = BuildCache(tmp_path / "cache", ("documents",))
    assert cache.load_summary("0" * 64) is None and cache.get_group("0" * 64) is None
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    assert cache.prune() == 0
