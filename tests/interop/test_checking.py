"""validate's checks on what an import wrote: what validate and build would refuse is said at import."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.interop.brat.collection import import_brat
from builder.interop.policies import LabelPolicy
from builder.sources.annotations import load_schema
from conftest import REPO
from factories import ARTICLE, fail_on, make_project, span

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")


def brat_folder(tmp_path, lines):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def at(quoted):
    s = span(ARTICLE, quoted)
    return f"{s['start']} {s['end']}\t{quoted}"


def test_an_entity_inside_debris_is_reported_at_import(tmp_path):
    root = make_project(tmp_path / "p", annotators=(), gold=False)
    folder = brat_folder(tmp_path, [f"T1\tORG {at('FREE TOOL')}", f"T2\tDebris {at('FREE TOOL')}", "A1\tReason T2 promotion"])
    report = import_brat(folder, corpus_dir=root / "corpus", annotations_dir=root / "annotations", annotator="team-a",
                         labels=LabelPolicy(SCHEMA))
    assert report.problems == () and len(report.written) == 1 and not report.ok
    with pytest.raises(InputError, match=r"E108 .*team-a/a1\.json: article a1, entities\[0\]"):
        fail_on(report.checks)


def test_a_clean_import_passes_the_checks(tmp_path):
    root = make_project(tmp_path / "p", annotators=(), gold=False)
    folder = brat_folder(tmp_path, [f"T1\tPERSON {at('Olaf Scholz')}"])
    report = import_brat(folder, corpus_dir=root / "corpus", annotations_dir=root / "annotations", annotator="team-a",
                         labels=LabelPolicy(SCHEMA))
    assert report.ok and report.checks == ()


def test_a_missing_brat_folder_is_a_coded_error(tmp_path):
    report = import_brat(tmp_path / "gone", corpus_dir=tmp_path, annotations_dir=tmp_path, annotator="x")
    with pytest.raises(InputError, match=r"E430 .*gone: brat folder .*gone does not exist"):
        fail_on(report.problems)
