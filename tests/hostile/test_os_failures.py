"""Every failure of the operating system is a coded error, without a traceback, and dist/ stays as it was."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
from pathlib import Path
from contextlib import contextmanager

import pytest

from builder import pipeline
from builder.cli import main
from builder.speed.cache import BuildCache
from factories import files_of
from hostile.running import assert_refused, dist_files, run_cli


def build_in_process(project, monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    monkeypatch.chdir(project)
    log = logging.getLogger("builder.pipeline")
    handlers = list(log.handlers)
    try:
        code = main(["build", *argv])
    finally:
        log.handlers[:] = handlers  # `build` adds one on the captured stderr of this test
    return code, capsys.readouterr().err


def assert_failed_cleanly(code: int, stderr: str, expected: str, project, before) -> None:
    assert code == 1 and expected in stderr and "Traceback" not in stderr, stderr
    assert dist_files(project) == before
    assert sorted(p.name for p in (project / "dist").iterdir()) == [".newsstance-build.lock", "1.0.0"]


def deleted_after_listing(monkeypatch, path) -> None:
    listed = pipeline.index_inputs

    def list_then_delete(*args, **options):
        index = listed(*args, **options)
        path.unlink()
        return index
    monkeypatch.setattr(pipeline, "index_inputs", list_then_delete)


def test_an_annotation_file_deleted_during_the_build_is_a_coded_error(project, monkeypatch, capsys):
    before = dist_files(project)
    deleted_after_listing(monkeypatch, project / "annotations" / "team-b" / "a1.json")
    code, stderr = build_in_process(project, monkeypatch, capsys, "--no-cache")
    assert_failed_cleanly(code, stderr, "E015 annotations/team-b/a1.json: cannot read a1.json: No such file", project,
                          before)


def test_a_metadata_file_deleted_during_the_build_is_a_coded_error(project, monkeypatch, capsys):
    before = dist_files(project)
    deleted_after_listing(monkeypatch, project / "corpus" / "a1.meta.json")
    code, stderr = build_in_process(project, monkeypatch, capsys, "--no-cache")
    assert_failed_cleanly(code, stderr, "E015 corpus/a1.meta.json: cannot read a1.meta.json", project, before)


def no_space(*args, **options):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "dist/.1.0.0.partial/manifest.json")


def test_a_full_disk_while_writing_the_output_is_a_coded_error(project, monkeypatch, capsys):
    before = dist_files(project)
    monkeypatch.setattr(pipeline, "write_json_streamed", no_space)  # simulated: CI cannot mount a small disk
    code, stderr = build_in_process(project, monkeypatch, capsys, "--no-cache")
    assert_failed_cleanly(code, stderr, "E810 dist/.1.0.0.partial/manifest.json: no space left on the device", project,
                          before)


def test_a_full_disk_while_writing_the_cache_is_a_coded_error(project, monkeypatch, capsys):
    before = dist_files(project)
    monkeypatch.setattr(BuildCache, "write", no_space)
    code, stderr = build_in_process(project, monkeypatch, capsys)
    assert_failed_cleanly(code, stderr, "E810", project, before)


def test_a_failure_while_swapping_the_output_in_leaves_the_previous_one(project, monkeypatch, capsys):
    before = dist_files(project)
    renamed = type(project).rename

    def rename(self, target):
        if ".partial-" in self.name:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        return renamed(self, target)
    monkeypatch.setattr(type(project), "rename", rename)
    code, stderr = build_in_process(project, monkeypatch, capsys, "--no-cache")
    assert_failed_cleanly(code, stderr, "E811", project, before)


@contextmanager
def small_disk(folder, size: str | None = None):
    """A tmpfs of ``size`` mounted on ``folder`` (root only), holding what ``folder`` held; without a size,
    just big enough for that and a few pages more (too small for a second build)."""
    saved = files_of(folder)
    if size is None:
        pages = sum(-(-len(data) // 4096) for data in saved.values())
        size = f"{(pages + 8 + len({p.parent for p in map(Path, saved)})) * 4}k"
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs needs root")
    try:
        for name, data in saved.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk_under_dist_is_a_coded_error(project):
    before = dist_files(project)
    with small_disk(project / "dist"):
        run = run_cli(project, "build", "--no-cache")
        assert_refused(run, "E81", project, before)
        assert "E810" in run.stderr or "E813" in run.stderr
        assert sorted(p.name for p in (project / "dist").iterdir()) == [".newsstance-build.lock", "1.0.0"]


def test_a_read_only_dist_is_a_coded_error(project):
    before = dist_files(project)
    with small_disk(project / "dist", "1m"):
        subprocess.run(["mount", "-o", "remount,ro", str(project / "dist")], check=True)
        run = run_cli(project, "build", "--no-cache")
        assert_refused(run, "E811", project, before)
        assert "Read-only file system" in run.stderr


def test_a_closed_standard_output_is_a_coded_error(project):
    before = dist_files(project)
    run = run_cli(project, "build", "--no-cache", close_stdout=True)  # as in `newsstance build | head -1`
    assert run.code == 1 and "E817" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert "Exception ignored" not in run.stderr
    assert dist_files(project) == before  # built again from the same inputs: the same bytes
