"""Only regular files inside the project's folders are read; what is refused prints no content and no hash."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from factories import ARTICLE, meta
from hostile.running import assert_refused, dist_files, run_cli

PASSWD = Path("/etc/passwd")


def add_raw_link(project: Path, target: str, sha: str = "0" * 64) -> None:
    """corpus/y.txt -> ``target``, with a metadata file that names it."""
    (project / "corpus" / "y.txt").symlink_to(target)
    (project / "corpus" / "y.meta.json").write_text(json.dumps(meta("y", "x", sha256=sha)), encoding="utf-8")


def test_a_raw_file_linked_to_etc_passwd_with_its_sha256_is_refused_and_not_leaked(project):
    before = dist_files(project)
    sha = hashlib.sha256(PASSWD.read_bytes()).hexdigest()
    add_raw_link(project, str(PASSWD), sha)
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E802", project, before)
    assert "y.txt is a symbolic link that leads outside" in run.stderr
    assert "root:" not in run.stderr and "passwd" not in run.stderr and "E008" not in run.stderr
    assert hashlib.sha256(PASSWD.read_bytes()).hexdigest() not in run.stderr + run.stdout


def test_a_raw_file_linked_to_dev_zero_is_refused_in_bounded_memory(project):
    before = dist_files(project)
    add_raw_link(project, "/dev/zero")
    assert_refused(run_cli(project, "build", "--no-cache"), "E802", project, before, rss_mb=1000)


def test_a_fifo_as_raw_file_is_refused_without_blocking(project):
    before = dist_files(project)
    os.mkfifo(project / "corpus" / "y.txt")
    (project / "corpus" / "y.meta.json").write_text(json.dumps(meta("y", "x")), encoding="utf-8")
    run = run_cli(project, "build", "--no-cache", timeout=120)
    assert_refused(run, "E803", project, before)
    assert "y.txt is not a regular file but a FIFO" in run.stderr


@pytest.mark.parametrize("command", ["build", "validate", "stats"])
def test_a_loop_of_links_in_the_corpus_is_a_coded_error(project, command):
    before = dist_files(project)
    (project / "corpus" / "y.txt").symlink_to("z.txt")
    (project / "corpus" / "z.txt").symlink_to("y.txt")
    (project / "corpus" / "y.meta.json").write_text(json.dumps(meta("y", "x")), encoding="utf-8")
    (project / "corpus" / "z.meta.json").write_text(json.dumps(meta("z", "x")), encoding="utf-8")
    assert_refused(run_cli(project, command, *(["--no-cache"] if command == "build" else [])), "E804", project,
                   before)


def test_a_metadata_file_linked_out_of_the_corpus_is_refused(project, tmp_path):
    before = dist_files(project)
    outside = tmp_path / "elsewhere.meta.json"
    outside.write_text(json.dumps(meta("y", ARTICLE)), encoding="utf-8")
    (project / "corpus" / "y.meta.json").symlink_to(outside)
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E802", project, before)
    assert "Test Outlet" not in run.stderr


def test_an_annotator_folder_linked_out_of_annotations_is_refused(project, tmp_path):
    before = dist_files(project)
    outside = tmp_path / "elsewhere"
    (project / "annotations" / "team-b").rename(outside)
    (project / "annotations" / "team-b").symlink_to(outside)
    assert_refused(run_cli(project, "build", "--no-cache"), "E802", project, before)


def test_an_annotator_folder_linked_inside_annotations_is_read_and_listed_in_the_manifest(project):
    store = project / "annotations" / "labelstudio"  # a reserved folder: not an annotator's
    store.mkdir()
    (project / "annotations" / "team-b").rename(store / "team-b")
    (project / "annotations" / "team-b").symlink_to(Path("labelstudio") / "team-b")
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0, run.stderr
    inputs = json.loads((project / "dist" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert "annotations/team-b/a1.json" in inputs


def test_an_orphan_raw_file_is_reported(project):
    before = dist_files(project)
    (project / "corpus" / "orphan.txt").write_text("No metadata names me.\n", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E809", project, before)
    assert "raw file orphan.txt is named by no metadata file" in run.stderr


def test_a_link_out_of_the_corpus_that_no_article_reads_is_neither_listed_nor_hashed(project):
    (project / "corpus" / "notes.md").symlink_to(PASSWD)
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0, run.stderr
    manifest = (project / "dist" / "1.0.0" / "manifest.json").read_text(encoding="utf-8")
    assert "corpus/notes.md" not in manifest
    assert hashlib.sha256(PASSWD.read_bytes()).hexdigest() not in manifest
