"""builder/cache.py: a rebuild takes unchanged articles and row groups from the cache, and its output
is byte for byte that of a clean build."""

import json
import os
import pickle
import shutil
import struct
import sys
import time

import pyarrow.parquet as pq
import pytest

import builder.parallel as parallel
import builder.write as write
from builder.cache import BuildCache, article_key, fingerprint
from builder.config import BuildConfig
from builder.errors import InputError
from builder.schema import CONFIGS
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


def test_an_unreadable_entry_counts_as_missing(project, tmp_path):
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    head = 8 * (2 + len(CONFIGS))  # the sizes of an entry's parts
    for number, entry in enumerate(sorted(p for p in (cache / "articles").rglob("*") if p.is_file())):
        data = entry.read_bytes()  # cut short, a size garbled (the last: the tokens'), or the summary's bytes garbled
        entry.write_bytes([data[:5], data[:head - 8] + b"\xff" * 8 + data[head:],
                           data[:head] + b"\x80\x05garbage..." + data[head + 12:]][number % 3])
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


def test_source_files_are_the_modules_parallel_imports():
    """The pattern over the source finds what the import statements say (the definition, via ast)."""
    import ast
    from builder.cache import SOURCE_ROOT, source_files
    todo, seen = ["parallel", "__init__"], set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            for node in ast.walk(ast.parse((SOURCE_ROOT / f"{name}.py").read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 1:
                    names = [node.module] if node.module else [alias.name for alias in node.names]
                    todo += [n for n in names if (SOURCE_ROOT / f"{n}.py").is_file()]
    found = source_files()
    assert sorted(p.stem for p in found if p.suffix == ".py") == sorted(seen)
    assert {"validate", "write", "views", "agreement"} <= seen and found[-1].name == "annotation.schema.json"


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


def index_parts(data):
    """An index file's header, summaries, articles (the dict of entries) and (build, row groups)."""
    head, (start,) = len(header(data)), struct.unpack("<Q", data[-8:])
    articles = pickle.loads(data[start:])
    rest = pickle.loads(data[start + len(pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL)):])
    return header(data), data[head:start], articles, rest


def index_file(head, summaries, articles, rest):
    pickles = pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL)
    return head + summaries + pickles + struct.pack("<Q", len(head) + len(summaries))


def entries_replaced(data, entry):
    head, summaries, articles, rest = index_parts(data)
    return index_file(head, summaries, {path: entry(known) for path, known in articles.items()}, rest)


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[:len(data) // 2],  # truncated
    lambda data: data[:-1],
    lambda data: header(data) + b"\x80\x05garbage",
    lambda data: header(data) + pickle.dumps(["not", "an", "index"]),
    lambda data: entries_replaced(data, lambda known: ("not", "an", "entry")),
    lambda data: data[:-8] + struct.pack("<Q", len(data)),  # the pickles said to start past the end
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


def summaries_replaced(data, change):
    head, summaries, articles, rest = index_parts(data)
    return index_file(head, change(summaries), articles, rest)


@pytest.mark.parametrize("damage", [
    lambda data: summaries_replaced(data, lambda summaries: bytes(len(summaries))),  # zeroed
    lambda data: summaries_replaced(data, lambda summaries: summaries[:len(summaries) // 2]),  # the later half gone
    lambda data: summaries_replaced(data, lambda summaries: summaries[7:]),  # every offset wrong
    lambda data: entries_replaced(data, lambda known: known._replace(summary=(0, known.summary[1]))),
    lambda data: entries_replaced(data, lambda known: known._replace(summary=(-5, 10))),
    lambda data: entries_replaced(data, lambda known: known._replace(summary="not a place")),
    lambda data: entries_replaced(data, lambda known: known._replace(summary=(0, 10**12))),
])
def test_summaries_missing_from_the_index_are_read_from_the_article_entries(project, tmp_path, reads, counted,
                                                                            damage):
    age(project)
    cache = tmp_path / "cache"
    first = build(config_for(project, tmp_path / "first", cache_dir=cache))
    data = (cache / "index").read_bytes()
    (cache / "index").write_bytes(damage(data))
    assert files_of(rebuild(project, tmp_path / "again", cache, reads, counted)) == files_of(first)
    assert reads == [] and counted["checked"] == 0  # no file read again, no article built again
    head, summaries, articles, (build_name, groups) = index_parts((cache / "index").read_bytes())
    assert (head, summaries, articles, groups) == index_parts(data)[:3] + (index_parts(data)[3][1],)


def test_the_index_holds_every_summary_once_and_a_rebuild_opens_no_entry_for_them(project, tmp_path, monkeypatch):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    loaded = []
    original = BuildCache.load_summary
    monkeypatch.setattr(BuildCache, "load_summary", lambda self, key: loaded.append(key) or original(self, key))
    build(config_for(project, tmp_path / "second", cache_dir=cache))
    assert loaded == []
    _, summaries, articles, _ = index_parts((cache / "index").read_bytes())
    spans = sorted(known.summary for known in articles.values())
    assert len(spans) == 30 and spans[0][0] == 0 and spans[-1][0] + spans[-1][1] == len(summaries)
    assert all(a + n == b for (a, n), (b, _) in zip(spans, spans[1:]))
    assert sorted(pickle.loads(summaries[a:a + n]).article_id for a, n in spans) == sorted(
        os.path.basename(meta)[:-len(".meta.json")] for meta in articles)
    assert [name for name in os.listdir(cache) if name.endswith(".partial")] == []


def test_a_failed_or_crashed_build_leaves_no_partial_index(project, tmp_path):
    age(project)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    (cache / ".index.99999999.partial").write_bytes(b"a build that crashed while writing")
    meta = sorted((project / "corpus").glob("*.meta.json"))[3]
    good = meta.read_bytes()
    meta.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InputError):
        build(config_for(project, tmp_path / "broken", cache_dir=cache))
    assert sorted(name for name in os.listdir(cache) if name.endswith(".partial")) == [".index.99999999.partial"]
    meta.write_bytes(good)
    build(config_for(project, tmp_path / "again", cache_dir=cache))
    assert [name for name in os.listdir(cache) if name.endswith(".partial")] == []


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
