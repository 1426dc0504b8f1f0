"""brat folders: pairing files, import and export of a collection, the commands."""

from __future__ import annotations

from collections import Counter

import pytest

from builder.sources.annotations import dump_annotation_set, load_schema, scan_annotations
from builder.cli import main
from builder.sources.corpus import load_corpus
from builder.errors import InputError
from builder.interop.brat.collection import brat_documents, export_brat, import_brat
from builder.interop.matching import NewArticles
from builder.interop.policies import LabelPolicy
from conftest import REPO, SHARED
from factories import ARTICLE, fail_on, make_project, write_article

REALDATA = SHARED / "realdata" / "brat"
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")




def test_unpaired_files_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.ann").write_text("", encoding="utf-8")
    documents, problems = brat_documents(tmp_path)
    assert documents == []
    with pytest.raises(InputError, match=r"E419 .*a\.txt: a\.txt has no matching \.ann"):
        fail_on(problems)


def test_export_and_import_commands_round_trip_a_project(tmp_path, capsys):
    root = make_project(tmp_path)
    out = tmp_path / "brat"
    assert main(["export", "brat", "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
                 "--annotator", "gold", "--output", str(out)]) == 0
    assert (out / "a1.txt").read_bytes() == (root / "corpus" / "a1.txt").read_bytes()
    assert (out / "annotation.conf").is_file()
    scratch = tmp_path / "scratch"
    assert main(["import", "brat", str(out), "--corpus", str(root / "corpus"), "--annotations", str(scratch),
                 "--schema", str(root / "annotations" / "schema.yaml"), "--annotator", "gold",
                 "--annotator-kind", "adjudication"]) == 0
    assert "wrote 1 annotation file(s): 6 entities, 2 stances, 2 debris spans" in capsys.readouterr().out
    (before,), (after,) = ([s for s in scan_annotations(d)[0] if s.annotator == "gold"] for d in (root / "annotations", scratch))
    assert dump_annotation_set(after) == dump_annotation_set(before)


def test_a_txt_that_differs_from_its_article_is_refused(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "a1.txt").write_text(ARTICLE.replace("Biden", "Bidén"), encoding="utf-8")
    (tmp_path / "brat" / "a1.ann").write_text("", encoding="utf-8")
    (tmp_path / "brat" / "b.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "brat" / "b.ann").write_text("", encoding="utf-8")
    report = import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="team-c")
    assert report.written == ()
    with pytest.raises(InputError, match=r"E410 .*a1\.ann: doc a1: the text differs from corpus article 'a1'"):
        fail_on([p for p in report.problems if p.code == "E410"])
    with pytest.raises(InputError, match=r"E005 .*b\.txt: raw text is not valid UTF-8: byte 0xe9 at byte offset 3"):
        fail_on([p for p in report.problems if p.code == "E005"])


CONLL_MAP = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": None}


def test_real_brat_documents_import_as_new_articles(tmp_path):
    folder = REALDATA / "corpora" / "CoNLL-ST_2002" / "esp"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    report = import_brat(folder, corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "annotations",
                         annotator="conll2002", labels=LabelPolicy(SCHEMA, CONLL_MAP),
                         new_articles=NewArticles("es", "unknown", "brat CoNLL-2002 example"))
    assert report.counts == {"sets": 10, "entities": 478, "stances": 0, "debris": 0}
    assert Counter(p.code for p in report.problems) == {"E407": 62}
    articles = load_corpus(tmp_path / "corpus")
    assert [a.id for a in articles][:2] == ["esp.train-doc-100", "esp.train-doc-1400"]
    assert articles[0].path.read_bytes() == (folder / "esp.train-doc-100.txt").read_bytes()


def test_the_seed_gold_round_trips_through_the_commands_with_its_adjudication(tmp_path, repo, capsys):
    if not (repo / "annotations" / "gold").is_dir():
        pytest.skip("annotations/gold/ has no set yet")
    assert main(["export", "brat", "--corpus", str(repo / "corpus"), "--annotations", str(repo / "annotations"),
                 "--annotator", "gold", "--output", str(tmp_path / "brat")]) == 0
    assert list((tmp_path / "brat").glob("*.adjudication.json"))
    assert main(["import", "brat", str(tmp_path / "brat"), "--corpus", str(repo / "corpus"), "--annotations",
                 str(tmp_path / "scratch"), "--schema", str(repo / "annotations" / "schema.yaml"), "--annotator", "gold",
                 "--annotator-kind", "adjudication"]) == 0
    before = sorted(dump_annotation_set(s) for s in scan_annotations(repo / "annotations")[0] if s.is_gold)
    after = sorted(dump_annotation_set(s) for s in scan_annotations(tmp_path / "scratch")[0])
    assert after == before


def test_a_malformed_adjudication_file_is_reported(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "brat" / "a1.ann").write_text("", encoding="utf-8")
    (tmp_path / "brat" / "a1.adjudication.json").write_text('{"decisions": [{"item": "x"}]}', encoding="utf-8")
    report = import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="gold")
    with pytest.raises(InputError, match=r"E401 .*a1\.adjudication\.json: the file has an unexpected shape: expected \{adjudicated_from"):
        fail_on(report.problems)
    assert len(report.written) == 1


def test_export_refuses_a_set_it_cannot_write_and_writes_nothing(tmp_path):
    root = make_project(tmp_path, annotators=("team-a",), gold=False)
    path = root / "annotations" / "team-a" / "a1.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"holder": "e5"', '"holder": "e9"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"E109 .*team-a/a1\.json: article a1, annotator team-a, stance s1: stance holder 'e9'"):
        export_brat(root / "corpus", root / "annotations", tmp_path / "out", annotator="team-a", schema=SCHEMA)
    assert not (tmp_path / "out").exists()


def test_a_broken_corpus_stops_the_import(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "corpus" / "a1.txt").write_text("changed", encoding="utf-8")
    (tmp_path / "brat").mkdir()
    with pytest.raises(InputError, match=r"E008 .*a1\.txt: article a1: sha256 of the raw file is"):
        import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="x")
