"""builder/speed/cache.py: a rebuild takes unchanged articles from the cache, gives a clean build's bytes, and
no damaged, planted or foreign file in the cache can change the output, raise or run code."""

import json
import logging
import os
import pickle
import random
import re
import shutil
import time

import pytest

from builder.errors import InputError
from builder.pipeline import build
from builder.speed.cache import MARKER
from benchmarks import synthetic
from factories import config_for, files_of






@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return synthetic.generate(tmp_path_factory.mktemp("cache") / "project", articles=24, seed=11, gold_share=0.8)


@pytest.fixture
def project(generated, tmp_path):
    """A fresh copy of the generated project, its files dated an hour back (settled: recorded by status)."""
    copy = tmp_path / "project"
    os.system(f"cp -r {generated} {copy}")
    age(copy)
    return copy


@pytest.fixture(scope="module")
def clean_build(generated, tmp_path_factory):
    return files_of(build(config_for(generated, tmp_path_factory.mktemp("clean") / "out")))


def age(root, seconds=3600):
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def origins(caplog, run):
    """What the build logged of where its articles came from: (built, taken from the cache, of those unread)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="builder.pipeline"):
        output = run()
    (message,) = [r.getMessage() for r in caplog.records if " articles: " in r.getMessage()]
    found = re.fullmatch(r"(\d+) articles: (\d+) built, (\d+) taken from the cache \((\d+) without reading their files\)",
                         message)
    assert found and int(found[1]) == sum(map(int, found.groups()[1:3])), message
    return output, tuple(map(int, found.groups()[1:]))


def change_a_gold_label(root):
    path = sorted((root / "annotations" / "gold").glob("*.json"))[5]
    data = json.loads(path.read_text(encoding="utf-8"))
    entity = next(e for e in data["entities"] if e["label"] in ("GPE", "ORG"))
    entity["label"] = "ORG" if entity["label"] == "GPE" else "GPE"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_an_unchanged_rebuild_reads_no_article_and_equals_a_clean_build(project, tmp_path, caplog, clean_build):
    cache = tmp_path / "cache"
    first, made = origins(caplog, lambda: build(config_for(project, tmp_path / "first", cache_dir=cache)))
    assert made == (24, 0, 0) and files_of(first) == clean_build
    again, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "again", cache_dir=cache)))
    assert taken == (0, 24, 24) and files_of(again) == clean_build


@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_after_one_change_builds_one_article_and_equals_a_clean_build(project, tmp_path, caplog, workers):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache, rows_per_group=4))
    change_a_gold_label(project)
    again, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "again", cache_dir=cache,
                                                                rows_per_group=4, workers=workers)))
    assert taken == (1, 23, 23)
    assert files_of(again) == files_of(build(config_for(project, tmp_path / "clean", rows_per_group=4)))


def test_a_file_touched_without_a_change_is_read_and_its_result_taken_by_content(project, tmp_path, caplog):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    os.utime(sorted((project / "annotations" / "team-a").glob("*.json"))[3])
    _, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "again", cache_dir=cache)))
    assert taken == (0, 24, 23)


def test_other_options_or_labels_reuse_nothing(project, tmp_path, caplog):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    _, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "split", cache_dir=cache,
                                                             split_ratios=(("train", 0.5), ("test", 0.5)))))
    assert taken == (24, 0, 0)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n# a comment changes the fingerprint\n", encoding="utf-8")
    _, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "schema", cache_dir=cache)))
    assert taken == (24, 0, 0)


def test_an_added_or_removed_annotation_file_is_seen(project, tmp_path, caplog):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    removed = sorted((project / "annotations" / "team-b").glob("*.json"))[2]
    removed.unlink()
    again, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "again", cache_dir=cache,
                                                                allow_unadjudicated=True)))
    assert taken == (24, 0, 0)  # allow_unadjudicated is an option: a new fingerprint
    _, taken = origins(caplog, lambda: build(config_for(project, tmp_path / "again2", cache_dir=cache,
                                                             allow_unadjudicated=True)))
    assert taken == (0, 24, 24)


def test_entries_the_last_build_did_not_use_are_removed_and_nothing_else(project, tmp_path):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    stray = [cache / "notes.txt", cache / "articles" / "README", cache / "articles" / "ab" / "not-a-key"]
    for path in stray:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine", encoding="utf-8")
    entries = {p.name for p in (cache / "articles").glob("??/*") if len(p.name) == 64}
    change_a_gold_label(project)
    build(config_for(project, tmp_path / "again", cache_dir=cache))
    after = {p.name for p in (cache / "articles").glob("??/*") if len(p.name) == 64}
    assert len(after) == 24 and len(entries - after) == 1 and len(after - entries) == 1
    assert all(path.read_text(encoding="utf-8") == "mine" for path in stray)


def test_a_folder_that_is_not_a_cache_is_refused_E305_and_left_as_it_is(project, tmp_path):
    mine = tmp_path / "mydata"
    for name in ("inputs/a", "articles/x/b", "groups/x/c"):
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_text("keep", encoding="utf-8")
    before = files_of(mine)
    with pytest.raises(InputError, match=r"E305 .*mydata.* is not a newsstance cache"):
        build(config_for(project, tmp_path / "out", cache_dir=mine))
    assert files_of(mine) == before and not (tmp_path / "out").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    build(config_for(project, tmp_path / "out", cache_dir=empty))
    assert (empty / MARKER).is_file()


def test_a_cache_of_the_earlier_format_is_emptied_of_what_it_wrote_and_used(project, tmp_path, clean_build):
    old = tmp_path / ".newsstance-cache"
    for name in (".build-started", "index", "articles/ab/" + "ab" * 32, "groups/cd/" + "cd" * 32, "notes.txt"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(b"format 4")
    assert files_of(build(config_for(project, tmp_path / "out", cache_dir=old))) == clean_build
    assert not (old / "groups").exists() and not (old / ".build-started").exists()
    assert (old / "notes.txt").read_bytes() == b"format 4" and (old / MARKER).is_file()


def test_a_failed_build_leaves_the_index_as_it_was(project, tmp_path):
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    index = (cache / "index").read_bytes()
    (project / "annotations" / "gold" / sorted(p.name for p in (project / "annotations" / "gold").iterdir())[0]).write_text(
        "{", encoding="utf-8")
    with pytest.raises(InputError):
        build(config_for(project, tmp_path / "second", cache_dir=cache))
    assert (cache / "index").read_bytes() == index


class Planted:
    """A pickle that, if ever loaded, leaves a file behind."""

    def __init__(self, witness):
        self.witness = str(witness)

    def __reduce__(self):
        return (open, (self.witness, "w"))


def flip(path, rng):
    data = bytearray(path.read_bytes()) or bytearray(b"\0")
    for _ in range(rng.randint(1, 3)):
        at = rng.choice([rng.randrange(len(data)), rng.randrange(min(64, len(data))), len(data) - 1 - rng.randrange(min(64, len(data)))])
        data[at] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_random_damage_to_every_kind_of_cache_file_never_reaches_the_output(project, tmp_path, clean_build):
    """24 trials of flipped bytes at random places (start, middle, end) of the index, article and chunk
    entries and the marker, cut-short and emptied entries, and a planted pickle in place of an entry: every
    rebuild succeeds with a clean build's bytes and runs nothing. Odd trials remove the chunk entries first, so
    that the article entries are read."""
    rng = random.Random(20261207)
    cache = tmp_path / "cache"
    build(config_for(project, tmp_path / "first", cache_dir=cache))
    witness = tmp_path / "pickle-ran"
    for trial in range(24):
        if trial % 2:
            shutil.rmtree(cache / "chunks", ignore_errors=True)
        kind_of_entry = "articles" if trial % 2 else "chunks"
        entries = sorted(p for p in (cache / kind_of_entry).glob("??/*") if len(p.name) == 64)
        kind = trial % 6
        if kind == 0:
            flip(cache / "index", rng)
        elif kind == 1:
            for path in rng.sample(entries, min(3, len(entries))):
                flip(path, rng)
        elif kind == 2:
            path = rng.choice(entries)
            path.write_bytes(path.read_bytes()[:rng.randrange(1, 200)])
        elif kind == 3:
            rng.choice(entries).write_bytes(b"")
        elif kind == 4:
            rng.choice(entries).write_bytes(pickle.dumps(Planted(witness)))
            (cache / "index").write_bytes(pickle.dumps(Planted(witness)))
        else:
            flip(cache / MARKER, rng)
        output = build(config_for(project, tmp_path / f"out{trial}", cache_dir=cache))
        assert files_of(output) == clean_build, f"trial {trial} (damage kind {kind}, {kind_of_entry})"
    assert not witness.exists()
