"""Writing imported sets: existing files are kept unless overwrite; strict writes nothing; a whole import that builds."""

from __future__ import annotations

import json
import shutil

import pytest
from datasets import load_dataset

from builder.cli import main
from builder.errors import InputError
from builder.interop.writing import write_import
from builder.records import AnnotationSet, Entity
from builder.sources.corpus import load_corpus
from conftest import REPO
from factories import ARTICLE, fail_on, sha, span




def test_existing_files_are_kept_unless_overwrite_and_strict_writes_nothing(tmp_path):
    aset = AnnotationSet("a1", "team-c", sha(ARTICLE), (), (Entity("e1", 0, 9, "ORG", ARTICLE[:9]),), ())
    target = tmp_path / "team-c" / "a1.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    report = write_import([aset], [], [], corpus_dir=tmp_path, annotations_dir=tmp_path)
    assert target.read_text(encoding="utf-8") == "old" and report.written == ()
    with pytest.raises(InputError, match=r"E413 .*team-c/a1\.json: article a1: .*team-c/a1\.json exists and is not overwritten"):
        fail_on(report.problems)
    assert write_import([aset], [], [], corpus_dir=tmp_path, annotations_dir=tmp_path, overwrite=True).written == (target,)
    target.unlink()
    strict = write_import([aset], [], list(report.problems), corpus_dir=tmp_path, annotations_dir=tmp_path, strict=True)
    assert strict.written == () and not target.exists()


NAIJA = "Super Eagles coach Eric Chelle don name im squad for Abuja.\nNigeria Football Federation talk am.\n"


def test_an_ner_only_export_with_provenance_goes_into_a_new_project_validates_and_builds(tmp_path, capsys):
    root = tmp_path / "project"
    (root / "annotations").mkdir(parents=True)
    shutil.copy(REPO / "annotations" / "schema.yaml", root / "annotations")
    shutil.copy(REPO / "DATASET_CARD.md", root)
    spans = [("Eric Chelle", "PERSON"), ("Abuja", "GPE"), ("Nigeria Football Federation", "ORG")]
    results = [{"id": f"r{n}", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {**span(NAIJA, quoted), "labels": [label]}} for n, (quoted, label) in enumerate(spans)]
    export = [{"id": 11, "data": {"raw_text": NAIJA, "url": "https://naija.example/eagles", "title": "Chelle names squad",
                                  "source": "Naija Sports", "date": "2025-10-02"},
               "annotations": [{"id": 5, "completed_by": 1, "result": results}]}]
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    project = ["--corpus", str(root / "corpus"), "--annotations", str(root / "annotations")]
    assert main(["import", "labelstudio", str(tmp_path / "export.json"), *project, "--new-articles", "--language", "en",
                 "--text-field", "raw_text", "--annotator", "pidgin-team", "--annotator-kind", "human"]) == 0
    out = capsys.readouterr().out
    assert "wrote 1 annotation file(s): 3 entities" in out and "added to annotators.yaml: pidgin-team" in out
    (article,) = load_corpus(root / "corpus")
    assert (article.meta.url, article.meta.title, article.meta.outlet, article.meta.published) == (
        "https://naija.example/eagles", "Chelle names squad", "Naija Sports", "2025-10-02")
    assert main(["validate", *project]) == 0
    assert main(["build", *project, "--card", str(root / "DATASET_CARD.md"), "--output", str(tmp_path / "dist")]) == 0
    rows = [row for split in load_dataset(str(tmp_path / "dist"), "documents").values() for row in split]
    assert [r["url"] for r in rows] == ["https://naija.example/eagles"]
    assert [(NAIJA[e["raw_start"]:e["raw_end"]], e["text"]) for e in rows[0]["entities"]] == [(q, q) for q, _ in spans]
