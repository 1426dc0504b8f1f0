"""NameSorter: pairs in any order come back sorted by name, whether they stayed in memory or not."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder.output.name_sort as name_sort
from builder.config import BuildConfig
from builder.output.name_sort import NameSorter
from builder.pipeline import build
from factories import ARTICLE, annotation, default_entities, default_stances, make_project, write_annotation, write_article

NAMES = ["annotations/gold/a.json", "annotations/gold/a-b.json", "annotations/gold/ab.json", "corpus/a.meta.json",
         "corpus/a.txt", "corpus/a-b.meta.json", "DATASET_CARD.md", "corpus/é.txt", "corpus/z.txt", "corpus/中.txt"]


def read_back(sorter):
    return [(name, value) for name, _, value in sorter.sorted()]


@pytest.mark.parametrize("run_pairs", [1, 3, 100])
def test_pairs_come_back_sorted_by_name_then_value(tmp_path, run_pairs):
    pairs = [(name, f"v{i}") for i, name in enumerate(NAMES)] + [("corpus/a.txt", "v0")]
    random.Random(0).shuffle(pairs)
    sorter = NameSorter(tmp_path, run_pairs)
    for pair in pairs:
        sorter.add([pair])
    assert bool(sorter.runs) == (run_pairs < len(pairs))
    found = read_back(sorter)
    assert found == sorted(pairs)
    assert found.index(("annotations/gold/a-b.json", "v1")) < found.index(("annotations/gold/a.json", "v0"))
    sorter.close()


def test_add_all_takes_a_stream_in_runs(tmp_path):
    pairs = [(f"n{i:05d}", "") for i in range(10_000)][::-1]
    sorter = NameSorter(tmp_path, 1000)
    sorter.add_all(iter(pairs))
    assert len(sorter.runs) == 10
    assert read_back(sorter) == sorted(pairs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",))),
                          st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)))), max_size=40),
       st.integers(1, 8))
def test_any_pairs_in_any_runs_come_back_as_sorted_gives_them(tmp_path_factory, pairs, run_pairs):
    sorter = NameSorter(tmp_path_factory.mktemp("runs"), run_pairs)
    sorter.add_all(pairs)
    assert read_back(sorter) == sorted(pairs)


def test_manifest_inputs_are_sorted_by_file_name_in_memory_or_in_runs(tmp_path, monkeypatch):
    """Article ids ``a`` < ``a-b``, but their files sort ``a-b.json`` < ``a.json``."""
    root = make_project(tmp_path / "project", article_id="a")
    write_article(root / "corpus", "a-b", ARTICLE, split="train")
    for annotator in ("team-a", "team-b", "gold"):
        write_annotation(root / "annotations", annotation("a-b", ARTICLE, annotator, entities=default_entities(),
                                                          stances=default_stances()))
    def config_for(output_dir):
        return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations",
                           card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results", output_dir=output_dir)

    in_memory = build(config_for(tmp_path / "one-run"))
    names = list(json.loads((in_memory / "manifest.json").read_text(encoding="utf-8"))["inputs"])
    assert names == sorted(names)
    assert names.index("annotations/gold/a-b.json") < names.index("annotations/gold/a.json")
    assert {"annotations/schema.yaml", "annotations/annotators.yaml", "DATASET_CARD.md"} <= set(names)
    monkeypatch.setattr(name_sort, "RUN_PAIRS", 2)
    in_runs = build(config_for(tmp_path / "runs"))
    assert (in_runs / "manifest.json").read_bytes() == (in_memory / "manifest.json").read_bytes()
