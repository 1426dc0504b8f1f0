"""builder/output/folder.py: the output is built beside its place and moved there only when the build succeeded."""

from __future__ import annotations

import os

import pytest

from builder.errors import InputError
from builder.output.folder import staged_output
from builder.output.manifest import MANIFEST


def build_into(final, files: dict[str, str]) -> None:
    with staged_output(final) as staging:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")


def test_a_first_build_makes_the_folder_and_its_parents(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "{}", "README.md": "card"})
    assert sorted(p.name for p in final.iterdir()) == ["README.md", MANIFEST]
    assert [p.name for p in final.parent.iterdir()] == ["1.0.0"]


def test_a_new_build_replaces_the_previous_one_entirely(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "old", "stale.parquet": "old"})
    build_into(final, {MANIFEST: "new"})
    assert [p.name for p in final.iterdir()] == [MANIFEST] and (final / MANIFEST).read_text(encoding="utf-8") == "new"
    assert [p.name for p in final.parent.iterdir()] == ["1.0.0"]  # no staging or previous folder left


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "old"})
    with pytest.raises(RuntimeError, match="boom"):
        with staged_output(final) as staging:
            (staging / MANIFEST).write_text("new", encoding="utf-8")
            raise RuntimeError("boom")
    assert (final / MANIFEST).read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in final.parent.iterdir()) == ["1.0.0"]


def test_the_staging_folder_starts_empty_even_after_a_crashed_build(tmp_path):
    final = tmp_path / "out"
    leftover = tmp_path / f".out.partial-{os.getpid()}"
    leftover.mkdir()
    (leftover / "half.parquet").write_text("half", encoding="utf-8")
    with staged_output(final) as staging:
        assert staging.parent == tmp_path and list(staging.iterdir()) == []
        (staging / MANIFEST).write_text("{}", encoding="utf-8")
    assert [p.name for p in final.iterdir()] == [MANIFEST]


def test_a_folder_that_is_not_a_build_is_never_replaced(tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match=r"E303 .*precious: output folder .* exists and is not a previous build"):
        with staged_output(tmp_path / "precious"):
            pass
    assert (tmp_path / "precious" / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious"]


def test_a_kill_between_the_renames_is_undone_by_the_next_build(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "old"})
    final.rename(final.parent / ".1.0.0.previous-4242")  # killed here: only the old output, aside
    with pytest.raises(RuntimeError, match="boom"):
        with staged_output(final):
            assert (final / MANIFEST).read_text(encoding="utf-8") == "old"  # put back before anything else
            raise RuntimeError("boom")
    assert sorted(p.name for p in final.parent.iterdir()) == ["1.0.0"]


def test_every_leftover_of_killed_builds_is_removed(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "old"})
    for name in (".1.0.0.partial-1", ".1.0.0.previous-2", ".1.0.0.removing-3", ".other.partial-4"):
        (final.parent / name).mkdir()
        (final.parent / name / MANIFEST).write_text("stale", encoding="utf-8")
    build_into(final, {MANIFEST: "new"})
    assert sorted(p.name for p in final.parent.iterdir()) == [".other.partial-4", "1.0.0"]
    assert (final / MANIFEST).read_text(encoding="utf-8") == "new"


def test_a_failed_second_rename_puts_the_previous_output_back(tmp_path, monkeypatch):
    final = tmp_path / "dist" / "1.0.0"
    build_into(final, {MANIFEST: "old"})
    renamed = type(final).rename

    def rename(self, target):
        if ".partial-" in self.name:
            raise OSError(30, "Read-only file system", str(target))
        return renamed(self, target)
    monkeypatch.setattr(type(final), "rename", rename)
    with pytest.raises(OSError, match="Read-only file system"):
        build_into(final, {MANIFEST: "new"})
    assert sorted(p.name for p in final.parent.iterdir()) == ["1.0.0"]
    assert (final / MANIFEST).read_text(encoding="utf-8") == "old"
