"""One build at a time, and no lost output: the lock, a stale lock, the leftovers of a killed build."""

from __future__ import annotations

import os
import shutil

from builder.output.lock import build_lock, lock_path
from hostile.running import assert_refused, dist_files, run_cli


def test_a_second_build_refuses_while_the_first_holds_the_lock_and_names_its_pid(project):
    before = dist_files(project)
    with build_lock(project / "dist" / "1.0.0"):
        run = run_cli(project, "build", "--no-cache")
        assert_refused(run, "E814", project, {**before, ".newsstance-build.lock": f"{os.getpid()}\n".encode()})
    assert f"another build (pid {os.getpid()}) is running in this project" in run.stderr


def test_a_lock_left_by_a_process_that_no_longer_exists_is_taken_over(project):
    before = dist_files(project)
    lock_path(project / "dist" / "1.0.0").write_text("999999999\n", encoding="ascii")  # no process holds it
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0, run.stderr
    assert dist_files(project) == before


def killed_between_the_renames(project) -> None:
    """What a build killed after moving the old output aside, before moving the new one in, leaves."""
    dist = project / "dist"
    (dist / "1.0.0").rename(dist / ".1.0.0.previous-4242")
    shutil.copytree(dist / ".1.0.0.previous-4242", dist / ".1.0.0.partial-4242")
    (dist / ".1.0.0.partial-4242" / "manifest.json").unlink()  # half written
    (dist / ".1.0.0.removing-4141").mkdir()


def test_the_next_build_after_a_kill_between_the_renames_removes_every_leftover(project):
    before = dist_files(project)
    killed_between_the_renames(project)
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0, run.stderr
    assert dist_files(project) == before
    assert sorted(p.name for p in (project / "dist").iterdir()) == [".newsstance-build.lock", "1.0.0"]


def test_a_failed_build_after_a_kill_between_the_renames_restores_the_previous_output(project):
    before = dist_files(project)
    killed_between_the_renames(project)
    (project / "annotations" / "team-a" / "a1.json").write_text("{", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E001", project, before)
    assert sorted(p.name for p in (project / "dist").iterdir()) == [".newsstance-build.lock", "1.0.0"]
