"""Overlapping and nested entity spans at import: refuse (every pair listed), keep-outer, keep-inner."""

from __future__ import annotations

import json

import pytest

from builder.cli import main
from builder.config import BuildConfig
from builder.errors import ConfigError, InputError
from builder.interop.matching import ImportedSet
from builder.interop.overlaps import apply_overlaps, kept_under
from builder.pipeline import build
from builder.records import Entity, Evidence, Stance
from factories import ARTICLE, fail_on, make_project, span

TEXT = "The United States Navy met the Royal Navy in Oslo.\n"


def entity(eid, quoted, label="ORG", nth=0):
    s = span(TEXT, quoted, nth)
    return Entity(eid, s["start"], s["end"], label, quoted)


OUTER, INNER, NAVY, OSLO = (entity("T1", "United States Navy"), entity("T2", "United States", "GPE"),
                            entity("T3", "Royal Navy"), entity("T4", "Oslo", "GPE"))


def imported(*entities, stances=()):
    return ImportedSet(file="doc.ann", where="doc d1", text=TEXT, article_hint="d1", annotator="team-c",
                       entities=entities, stances=stances)


def test_refuse_lists_every_pair_with_both_spans_and_keeps_nothing_of_the_document():
    kept, dropped, problems = apply_overlaps([imported(OUTER, INNER, NAVY, OSLO)], "refuse")
    assert kept == [] and len(problems) == 1
    with pytest.raises(InputError, match=r"E432 doc\.ann: doc d1, entities T1 and T2: entity spans \[4, 22\) "
                                         r"'United States Navy' and \[4, 17\) 'United States' nest \(the first contains "
                                         r"the second\); nothing of this document is written"):
        fail_on(problems)
    assert {(d.policy, d.applied, len(d.entities)) for d in dropped} == {("keep-outer", False, 1), ("keep-inner", False, 1)}


def test_keep_outer_drops_the_nested_span_and_counts_it():
    kept, dropped, problems = apply_overlaps([imported(OUTER, INNER, NAVY, OSLO)], "keep-outer")
    assert problems == [] and kept[0].entities == (OUTER, NAVY, OSLO)
    assert [(d.where, d.policy, d.applied, d.entities) for d in dropped] == [("doc d1", "keep-outer", True, (INNER,))]


def test_keep_inner_drops_the_containing_span():
    kept, _, _ = apply_overlaps([imported(OUTER, INNER, NAVY, OSLO)], "keep-inner")
    assert kept[0].entities == (INNER, NAVY, OSLO)


def test_a_crossing_pair_keeps_the_longer_span_under_keep_outer():
    cross = entity("T5", "Navy met", "ORG")  # crosses "United States Navy": neither contains the other
    assert kept_under([OUTER, cross], "keep-outer") == [0] and kept_under([OUTER, cross], "keep-inner") == [1]
    _, _, problems = apply_overlaps([imported(OUTER, cross)], "refuse")
    assert "overlap (neither contains the other)" in problems[0].what


def test_the_same_span_twice_is_named_so():
    _, _, problems = apply_overlaps([imported(OUTER, entity("T9", "United States Navy", "NORP"))], "refuse")
    assert "'United States Navy' are the same span (twice, with labels ORG and NORP)" in problems[0].what


def test_a_stance_holder_is_never_dropped():
    stance = Stance("s1", "T2", "us-peace-plan-2025", "favor", (Evidence(23, 26, TEXT[23:26]),))
    kept, _, problems = apply_overlaps([imported(OUTER, INNER, stances=(stance,))], "keep-outer")
    assert kept == []
    with pytest.raises(InputError, match=r"E437 doc\.ann: doc d1, entity T2: entity \[4, 17\) 'United States' would be "
                                         r"dropped by --overlaps keep-outer but it is the holder of stance s1"):
        fail_on(problems)


def test_an_unknown_policy_is_refused():
    with pytest.raises(ConfigError, match=r"E428 import options: option overlaps='keep-all' is invalid"):
        apply_overlaps([], "keep-all")


def brat_nested(tmp_path):
    """The factories' project article as a brat document with a nested pair: [Olaf [Scholz]]."""
    root = make_project(tmp_path / "project", annotators=(), gold=False)
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    lines = []
    for n, (quoted, label) in enumerate([("Olaf Scholz", "PERSON"), ("Scholz", "PERSON"), ("Berlin", "GPE"),
                                         ("Continues after advertising", None)], start=1):
        s = span(ARTICLE, quoted)
        lines.append(f"T{n}\t{label or 'Debris'} {s['start']} {s['end']}\t{quoted}")
    lines.append("A1\tReason T4 advertising")
    (folder / "a1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, folder


def test_a_nested_brat_pair_imports_with_keep_outer_and_builds(tmp_path, capsys):
    root, folder = brat_nested(tmp_path)
    argv = ["import", "brat", str(folder), "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
            "--annotator", "team-d", "--annotator-kind", "human"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "E432" in out and "'Olaf Scholz' and [" in out and "--overlaps keep-outer would drop 1 entity" in out
    assert not (root / "annotations" / "team-d").exists()
    assert main(argv + ["--overlaps", "keep-outer"]) == 0
    out = capsys.readouterr().out
    assert "--overlaps keep-outer dropped 1 entity in 1 document(s)" in out and "'Scholz'" in out
    assert "added to annotators.yaml: team-d" in out and "checks of the written files" in out and "no problems" in out
    written = json.loads((root / "annotations" / "team-d" / "a1.json").read_text(encoding="utf-8"))
    assert [e["text"] for e in written["entities"]] == ["Olaf Scholz", "Berlin"]
    output = build(BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=tmp_path / "out",
                               card_path=root / "DATASET_CARD.md", benchmarks_dir=tmp_path / "no-results"))
    assert (output / "manifest.json").is_file()
