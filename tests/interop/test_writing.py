"""Writing imported sets: existing files are kept unless overwrite; strict writes nothing."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.interop.writing import write_import
from builder.records import AnnotationSet, Entity
from factories import ARTICLE, fail_on, sha




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
