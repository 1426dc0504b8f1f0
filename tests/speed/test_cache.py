"""builder/cache.py: a rebuild takes unchanged articles and row groups from the cache, and its output
is byte for byte that of a clean build."""

import json
import os
import pickle
import shutil
import struct
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import builder.speed.runner as parallel
import builder.output.parquet as write
from builder.speed.cache import BuildCache, article_key, digest_of, fingerprint
from builder.config import BuildConfig
from builder.errors import InputError
from builder.sources.listing import index_inputs
from builder.views.schema import CONFIGS, features_for
from builder.pipeline import build
from conftest import REPO
from factories import make_project

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


@pytest.fixture
def reads(monkeypatch):
    """The articles whose files were read."""
    read = []
    original = parallel.read_files

    def counting_read(files):
        read.append(files.name)
        return original(files)
    monkeypatch.setattr(parallel, "read_files", counting_read)
    return read


def age(root, seconds=3600):
    """Date every file of the project ``seconds`` back, as files that have not been edited lately."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def rebuild(project, output, cache, reads, counted=None):
    """A build with the file reads (and the articles checked) counted from zero."""
    reads.clear()
    if counted is not None:
        counted.update(checked=0)
    return build(config_for(project, output, cache_dir=cache))


def index_of(cache, root, **options):
    """The index the last build left in ``cache`` (read as the next build with ``options`` would)."""
    config = config_for(root, root / "unused", **options)
    return BuildCache(cache, CONFIGS, fingerprint(config.hash(), config.annotations_dir)).index


def change_a_gold_label(root):
    path = sorted((root / "annotations" / "gold").glob("*.json"))[5]
    data = json.loads(path.read_text(encoding="utf-8"))
    entity = next(e for e in data["entities"] if e["label"] in ("GPE", "ORG"))
    entity["label"] = "ORG" if entity["label"] == "GPE" else "GPE"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


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
    groups = sum(pq.ParquetFile(path).num_row_groups for path in clean.rglob("*.parquet"))
    assert 0 < changed_groups < groups - changed_groups  # most row groups were copied as bytes


@pytest.fixture
def tokenized(monkeypatch):
    """The cleaned texts the spaCy tokenizer was run on."""
    import builder.validate as validate
    texts, tokenize = [], validate.tokenize

    def counting_tokenize(text, language="en"):
        texts.append(text)
        return tokenize(text, language)
    monkeypatch.setattr(validate, "tokenize", counting_tokenize)
    return texts


def test_a_changed_article_whose_text_did_not_change_keeps_its_tokens(project, tmp_path, tokenized):
    cache = tmp_path / "cache"
    age(project)
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    change_a_gold_label(project)  # the label of an entity: the cleaned text is the same
    tokenized.clear()
    again = build(config_for(project, tmp_path / "again", cache_dir=cache))
    assert tokenized == []  # the tokens came from the article's last entry
    assert files_of(again) == files_of(build(config_for(project, tmp_path / "clean")))
    gold = sorted((project / "annotations" / "gold").glob("*.json"))[7]  # another article: its debris, so its text
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["cleaning"] = data["cleaning"][1:]
    gold.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tokenized.clear()
    third = build(config_for(project, tmp_path / "third", cache_dir=cache))
    old, new = (clean_text(output, data["article_id"]) for output in (again, third))
    assert new in tokenized and set(tokenized) <= {old, new}  # that article only: its new text, its annotators' old one
    assert files_of(third) == files_of(build(config_for(project, tmp_path / "clean3")))


def clean_text(output, article_id):
    """The cleaned text of one article in a build's documents config."""
    for path in output.glob("documents/*.parquet"):
        table = pq.read_table(path, columns=["id", "text"]).to_pydict()
        if article_id in table["id"]:
            return table["text"][table["id"].index(article_id)]
    raise KeyError(article_id)


def test_an_unchanged_rebuild_reads_no_article(project, tmp_path, counted):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    counted.update(checked=0, encoded=0)
    second = build(config_for(project, tmp_path / "second", cache_dir=cache))  # one worker: the counters are this process's
    assert counted == {"checked": 0, "encoded": 0}
    third = build(config_for(project, tmp_path / "third", cache_dir=cache, workers=2))
    assert files_of(first) == files_of(second) == files_of(third)


SIZES = 8 * (2 + len(CONFIGS))  # an article entry opens with the size of each part, then its digest
ENTRY_HEAD = SIZES + 16 * (2 + len(CONFIGS))  # then come the parts, the summary first


def entry_parts(data):
    """An article entry's parts: its summary, its rows per config, its tokens."""
    sizes = struct.unpack_from(f"<{2 + len(CONFIGS)}Q", data)
    starts = [ENTRY_HEAD + sum(sizes[:i]) for i in range(len(sizes))]
    return [data[start:start + size] for start, size in zip(starts, sizes)]


def entry_of(parts):
    """An article entry made of these parts, each with its right digest (as ``store_article`` writes it)."""
    return (struct.pack(f"<{len(parts)}Q", *map(len, parts)) + b"".join(map(digest_of, parts)) + b"".join(parts))


def test_an_unreadable_entry_counts_as_missing(project, tmp_path):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    for number, entry in enumerate(sorted(p for p in (cache / "articles").rglob("*") if p.is_file())):
        data = entry.read_bytes()  # cut short, a size garbled (the last: the tokens'), or the summary's bytes garbled
        entry.write_bytes([data[:5], data[:SIZES - 8] + b"\xff" * 8 + data[SIZES:],
                           data[:ENTRY_HEAD] + b"\x80\x05garbage..." + data[ENTRY_HEAD + 12:]][number % 3])
    for entry in (cache / "groups").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    assert files_of(build(config_for(project, tmp_path / "second", cache_dir=cache))) == files_of(first)


def rows_damaged(cache, damage):
    """Every article entry with its summary as it was and its rows (and tokens) ``damage``d."""
    for entry in (cache / "articles").rglob("*"):
        if entry.is_file():
            data = entry.read_bytes()
            rows = ENTRY_HEAD + struct.unpack_from("<Q", data)[0]
            entry.write_bytes(data[:rows] + damage(data[rows:]))


def one_bit_flipped(data):
    at = len(data) * 7 // 10
    return data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1:]


@pytest.fixture
def remade(monkeypatch):
    """The articles whose rows were made again, in the main process."""
    made = []
    original = parallel.rows_made_again

    def counting(context, key, files, schemas):
        made.append(files.name)
        return original(context, key, files, schemas)
    monkeypatch.setattr(parallel, "rows_made_again", counting)
    return made


@pytest.mark.parametrize("damage", [
    lambda rows: rows[:len(rows) // 2],  # cut short
    lambda rows: bytes(len(rows)),  # zeroed
    lambda rows: rows[:8] + rows[40:] + rows[8:40],  # shifted
    one_bit_flipped,  # Arrow reads it, as other values
])
@pytest.mark.parametrize("workers", [1, 2])
def test_rows_that_cannot_be_read_are_made_again_from_the_articles_files(project, tmp_path, remade, damage, workers):
    """An article whose summary can be read is taken from the cache; its rows are read only when a row
    group holding them is encoded again, and if they cannot be read then (their digest differs), they
    are made again from the article's files, once per article (they were an error, or wrong rows)."""
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache, rows_per_group=4))
    rows_damaged(cache, damage)
    change_a_gold_label(project)  # its row groups are encoded again, with the rows of their other articles
    built = build(config_for(project, tmp_path / "again", cache_dir=cache, rows_per_group=4, workers=workers))
    assert files_of(built) == files_of(build(config_for(project, tmp_path / "clean", rows_per_group=4)))
    assert remade and len(set(remade)) == len(remade)


def test_rows_of_another_count_than_the_summary_says_are_not_taken(tmp_path):
    cache = BuildCache(tmp_path / "cache", ("documents",), "prefix")
    batch = pa.record_batch({"id": ["a1-0", "a1-1"]})
    cache.store_article("0" * 64, b"summary", {"documents": batch})
    assert cache.load_rows("0" * 64, "documents", batch.schema, 2).equals(batch)
    assert cache.load_rows("0" * 64, "documents", batch.schema, 3) is None
    assert cache.load_rows("1" * 64, "documents", batch.schema, 2) is None  # no such entry


def made_again_setup(project, tmp_path):
    config = config_for(project, tmp_path / "unused")
    index = index_inputs(config.corpus_dir, config.annotations_dir)
    features = {name: features_for(name, index.schema) for name in CONFIGS}
    context = parallel.Context(config, index, features, None, "prefix")
    schemas = {name: write.arrow_schema_of(features[name]) for name in CONFIGS}
    return context, next(iter(index)), schemas


def test_a_part_of_an_entry_whose_digest_differs_counts_as_missing(tmp_path):
    cache = BuildCache(tmp_path / "cache", ("documents",), "prefix")
    cache.store_article("0" * 64, b"summary", {"documents": pa.record_batch({"id": ["a1-0"]})}, tokens=b"tokens")
    entry = Path(cache.path("articles", "0" * 64))
    assert cache.read_article("0" * 64, 2) == b"tokens"
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1  # the last byte of the token record
    entry.write_bytes(bytes(data))
    assert cache.read_article("0" * 64, 2) is None and cache.load_summary("0" * 64) == b"summary"


def test_rows_made_again_are_every_configs(project, tmp_path):
    context, files, schemas = made_again_setup(project, tmp_path)
    outcome, _ = parallel.article_outcome(files, context)
    made = parallel.rows_made_again(context, outcome.key, files, schemas)
    assert sorted(made) == sorted(CONFIGS) and made["cleaning"].column("id").to_pylist() == [files.name]


def test_rows_made_again_from_files_that_changed_since_are_refused_E307(project, tmp_path):
    context, files, schemas = made_again_setup(project, tmp_path)
    with pytest.raises(InputError, match=r"E307 .*\.meta\.json: the cached rows of article '[^']+' can no longer "
                                         r"be read, and its files changed during the build \(their checksums differ "
                                         r"from the cache's\)\n    fix: build again"):
        parallel.rows_made_again(context, "0" * 64, files, schemas)
    Path(files.root, files.annotations[0]).unlink()
    with pytest.raises(InputError, match=r"E307 .*: the cached rows of article .* changed during the build "
                                         r"\(FileNotFoundError: .*\)"):
        parallel.rows_made_again(context, "0" * 64, files, schemas)


def test_a_cache_folder_removed_during_a_build_costs_the_next_build_nothing_but_time(project, tmp_path, monkeypatch):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    remember = BuildCache.remember

    def removing_first(self, known):
        if not self.kept:
            shutil.rmtree(cache)
        remember(self, known)
    monkeypatch.setattr(BuildCache, "remember", removing_first)
    change_a_gold_label(project)
    age(project)
    during = build(config_for(project, tmp_path / "during", cache_dir=cache))  # its index names entries that are gone
    monkeypatch.undo()
    clean = files_of(build(config_for(project, tmp_path / "clean")))
    assert files_of(during) == clean
    assert files_of(build(config_for(project, tmp_path / "next", cache_dir=cache))) == clean


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
    cache = BuildCache(tmp_path / "cache", ("documents",), "prefix")
    assert cache.load_summary("0" * 64) is None and cache.get_group("0" * 64) is None and cache.index == {}
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    assert cache.commit() == 0


def test_files_as_recorded_are_not_read_again(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    assert len(reads) == 30
    reads.clear()
    assert files_of(build(config_for(project, tmp_path / "second", cache_dir=cache))) == files_of(first)
    assert reads == []


def test_a_changed_file_is_read_even_with_the_same_size(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    changed = change_a_gold_label(project)  # GPE <-> ORG: same length
    reads.clear()
    again = build(config_for(project, tmp_path / "again", cache_dir=cache))
    assert reads == [changed.stem]
    assert files_of(again) == files_of(build(config_for(project, tmp_path / "clean")))


def test_recently_modified_files_are_not_recorded(project, tmp_path, reads, counted):
    cache = tmp_path / "cache"  # the generated files are seconds old: a change within the clock's step could hide
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    assert {known.statuses for known in index_of(cache, project).values()} == {None}
    reads.clear()
    counted.update(checked=0)
    build(config_for(project, tmp_path / "second", cache_dir=cache))
    assert len(reads) == 30 and counted["checked"] == 0  # read for their checksums, taken from the cache by them


def test_an_added_or_removed_annotation_file_is_seen(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    gold = sorted((project / "annotations" / "gold").glob("*.json"))[3]
    gold.unlink()
    reads.clear()
    again = build(config_for(project, tmp_path / "again", cache_dir=cache, allow_unadjudicated=True))
    assert gold.stem in reads
    assert files_of(again) == files_of(build(config_for(project, tmp_path / "clean", allow_unadjudicated=True)))


def test_a_cached_article_comes_back_with_the_summary_it_was_built_with(project, tmp_path, monkeypatch):
    """Summaries travel unpickled within a process; the cache pickles them and gives back equal ones."""
    age(project)
    summaries = {"computed": [], "cached": []}
    original = parallel.article_outcome

    def recording(files, context):
        outcome, rows = original(files, context)
        assert isinstance(outcome.summary, parallel.ArticleSummary)
        summaries["cached" if outcome.cached else "computed"].append(outcome.summary)
        return outcome, rows
    monkeypatch.setattr(parallel, "article_outcome", recording)
    without = sorted((project / "annotations").glob("*/syn-0000004.json"))
    for path in without:  # an article without annotations is cached too, with its summary and no rows
        path.unlink()
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    computed, summaries["computed"] = summaries["computed"], []
    build(config_for(project, tmp_path / "second", cache_dir=cache))
    assert without and not computed[4].annotated and summaries == {"computed": [], "cached": computed}


def header(data):
    return data[:data.index(b"\n") + 1]


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[:len(data) // 2],  # truncated
    lambda data: header(data) + b"\x80\x05garbage",
    lambda data: header(data) + pickle.dumps(["not", "an", "index"]),
    lambda data: header(data) + pickle.dumps({path: ("not", "an", "entry") for path in pickle.loads(data[len(header(data)):])}),
])
def test_an_unreadable_index_counts_as_missing(project, tmp_path, reads, counted, damage):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    (cache / "index").write_bytes(damage((cache / "index").read_bytes()))
    assert files_of(rebuild(project, tmp_path / "again", cache, reads, counted)) == files_of(first)
    assert len(reads) == 30 and counted["checked"] == 0  # every file read for its checksum, no article built again
    rebuild(project, tmp_path / "third", cache, reads)
    assert reads == []  # the build wrote a good index again


@pytest.mark.parametrize("inputs", [None, 5, (("a", "b", "c"),), ((1, 2),), ()])
def test_an_entry_whose_summary_is_not_its_articles_counts_as_missing(project, tmp_path, counted, inputs):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    entry = sorted(p for p in (cache / "articles").rglob("*") if p.is_file())[3]
    summary, *rest = entry_parts(entry.read_bytes())
    entry.write_bytes(entry_of([pickle.dumps(pickle.loads(summary)._replace(inputs=inputs)), *rest]))
    counted.update(checked=0)
    assert files_of(build(config_for(project, tmp_path / "again", cache_dir=cache))) == files_of(first)
    assert counted["checked"] == 1  # that article was built again


def test_a_build_started_again_by_content_equals_a_clean_build_and_is_cached(project, tmp_path, counted):
    gold = project / "annotations" / "gold"
    named, other = sorted(gold.glob("*.json"))[:2]
    other.unlink()
    named.rename(other)  # a file named after one article that says another: the build starts again by content
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache, allow_unadjudicated=True))
    assert files_of(first) == files_of(build(config_for(project, tmp_path / "clean", allow_unadjudicated=True)))
    counted.update(checked=0)
    again = build(config_for(project, tmp_path / "again", cache_dir=cache, allow_unadjudicated=True))
    assert files_of(again) == files_of(first)
    assert counted["checked"] == 2  # the two articles of the moved file, in the run by name; none by content


def test_an_index_of_other_sources_or_settings_is_not_used(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    assert len(index_of(cache, project)) == 30 and index_of(cache, project, allow_unadjudicated=True) == {}


def test_a_file_touched_without_a_change_is_read_and_its_article_taken_from_the_cache(project, tmp_path, reads, counted):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    touched = sorted((project / "annotations" / "team-a").glob("*.json"))[7]
    os.utime(touched, (time.time() - 60, time.time() - 60))
    assert files_of(rebuild(project, tmp_path / "again", cache, reads, counted)) == files_of(first)
    assert reads == [touched.stem] and counted["checked"] == 0
    rebuild(project, tmp_path / "third", cache, reads)
    assert reads == []  # its new status is in the index


def test_an_article_removed_or_added_is_seen(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    name = "syn-0000012"
    away = tmp_path / "away"
    moved = [p for p in project.rglob(f"{name}.*") if p.is_file()]
    for path in moved:
        (away / path.relative_to(project)).parent.mkdir(parents=True, exist_ok=True)
        path.rename(away / path.relative_to(project))
    reads.clear()
    without = build(config_for(project, tmp_path / "without", cache_dir=cache))
    assert reads == [] and files_of(without) == files_of(build(config_for(project, tmp_path / "clean-without")))
    assert len(index_of(cache, project)) == 29
    assert len([p for p in (cache / "articles").rglob("*") if p.is_file()]) == 29  # its entry was pruned
    for path in moved:
        (away / path.relative_to(project)).rename(path)
    reads.clear()
    again = build(config_for(project, tmp_path / "again", cache_dir=cache))
    assert reads == [name] and files_of(again) == files_of(build(config_for(project, tmp_path / "clean")))


def test_pruning_keeps_exactly_what_the_last_build_used(project, tmp_path):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache, rows_per_group=4))
    change_a_gold_label(project)
    BuildCache(cache, CONFIGS, "a build that starts, writes what follows and crashes")
    (cache / "groups" / "00").mkdir(parents=True, exist_ok=True)
    (cache / "groups" / "00" / ".00ab.123.partial").write_bytes(b"left by a crashed build")
    (cache / "inputs" / "ab").mkdir(parents=True)  # the per-article records of the previous cache format
    (cache / "inputs" / "ab" / "ab12").write_bytes(b"old")
    again = build(config_for(project, tmp_path / "again", cache_dir=cache, rows_per_group=4))
    groups = sum(pq.ParquetFile(path).num_row_groups for path in again.rglob("*.parquet"))
    assert len([p for p in (cache / "groups").rglob("*") if p.is_file()]) == groups
    assert {p.name for p in (cache / "articles").rglob("*") if p.is_file()} == {
        known.key for known in index_of(cache, project, rows_per_group=4).values()}
    assert not (cache / "inputs").exists()


def cache_files(cache):
    return {p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and p.parent != cache}


def test_after_a_build_that_committed_only_what_it_used_is_looked_for(project, tmp_path, monkeypatch):
    """The index names the build that wrote it and the row groups it used: when that build is the
    last one that started, nothing else can be in the cache, and no folder is listed to prune it."""
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache, rows_per_group=4))
    before = cache_files(cache)
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(str(path)) or scandir(path))
    build(config_for(project, tmp_path / "unchanged", cache_dir=cache, rows_per_group=4))
    assert not [path for path in listed if path.startswith(str(cache))]
    assert cache_files(cache) == before
    change_a_gold_label(project)
    listed.clear()
    again = build(config_for(project, tmp_path / "changed", cache_dir=cache, rows_per_group=4))
    assert not [path for path in listed if path.startswith(str(cache))]
    groups = sum(pq.ParquetFile(path).num_row_groups for path in again.rglob("*.parquet"))
    after = cache_files(cache)
    assert len([name for name in after if name.startswith("groups/")]) == groups
    assert {name.rsplit("/", 1)[1] for name in after if name.startswith("articles/")} == {
        known.key for known in index_of(cache, project, rows_per_group=4).values()}
    assert len(after - before) == len(before - after) > 1  # the changed article and its row groups


def test_a_failed_build_leaves_the_index_as_it_was(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    before = (cache / "index").read_bytes()
    meta = sorted((project / "corpus").glob("*.meta.json"))[3]
    good = meta.read_bytes()
    meta.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InputError):
        build(config_for(project, tmp_path / "broken", cache_dir=cache))
    assert (cache / "index").read_bytes() == before
    meta.write_bytes(good)
    reads.clear()
    assert files_of(build(config_for(project, tmp_path / "again", cache_dir=cache))) == files_of(first)
    assert reads == [meta.name[:-len(".meta.json")]]


def test_workers_report_what_goes_into_the_index(project, tmp_path, reads):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache, workers=2))
    assert len(index_of(cache, project)) == 30
    reads.clear()
    assert files_of(build(config_for(project, tmp_path / "second", cache_dir=cache))) == files_of(first)
    assert reads == []
