"""builder/project/root.py: the project root found from inside it, paths relative to the working directory."""

from __future__ import annotations

from pathlib import Path

from builder.project.root import find_root, project_path


def project(tmp_path: Path) -> Path:
    (tmp_path / "p" / "annotations").mkdir(parents=True)
    (tmp_path / "p" / "annotations" / "schema.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "p" / "corpus" / "deep").mkdir(parents=True)
    return tmp_path / "p"


def test_the_root_is_found_from_a_subfolder(tmp_path):
    root = project(tmp_path)
    assert find_root(root / "corpus" / "deep") == root and find_root(root) == root


def test_no_root_outside_a_project(tmp_path):
    assert find_root(tmp_path) is None  # pytest's temporary folders are in no project


def test_paths_at_the_root_stay_as_named(tmp_path):
    assert project_path("corpus", cwd=project(tmp_path)) == Path("corpus")


def test_paths_from_a_subfolder_lead_back_to_the_root(tmp_path):
    root = project(tmp_path)
    assert project_path("annotations", cwd=root / "corpus" / "deep") == Path("../../annotations")
    assert project_path(Path("dist") / "1.0.0", cwd=root / "annotations") == Path("../dist/1.0.0")


def test_paths_outside_a_project_are_relative_to_the_working_directory(tmp_path):
    (tmp_path / "plain").mkdir()
    assert project_path("corpus", cwd=tmp_path / "plain") == Path("corpus")
