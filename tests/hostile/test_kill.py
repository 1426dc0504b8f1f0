"""kill -9 during builds of a 2,000-article corpus: dist/<version>/ is always complete, the next build cleans up.

One of the kills lands between the two renames that swap the new output in: the child is run through a
wrapper that pauses there (the window is a few microseconds otherwise), and the test kills it once it sees
the ``.previous-*`` folder. The builder itself is not changed for the test.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.synthetic import generate
from factories import REPO, files_of

ARTICLES = 2_000
KILLS = 10
PAUSE_AT_SWAP = """
import pathlib, sys, time
renamed = pathlib.Path.rename
def rename(self, target):
    result = renamed(self, target)
    if ".previous-" in pathlib.Path(target).name:
        time.sleep(5)
    return result
pathlib.Path.rename = rename
from builder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start_build(project: Path, *, pause_at_swap: bool = False) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO)]))}
    command = [sys.executable, "-c", PAUSE_AT_SWAP] if pause_at_swap else [sys.executable, "-m", "builder.cli"]
    return subprocess.Popen([*command, "build", "--no-cache", "--no-progress"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def assert_complete(folder: Path) -> None:
    """manifest.json and every output it lists, with its sha256; every Parquet file readable."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["outputs"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"], name
        if name.endswith(".parquet"):
            assert pq.read_table(folder / name).num_rows == entry["rows"], name


def assert_output_kept(dist: Path) -> None:
    """dist/1.0.0 complete, or (killed between the renames, or killed again before the next build put it
    back) missing while the complete old output waits as ``.previous-*`` for the next build to restore."""
    if (dist / "1.0.0").exists():
        assert_complete(dist / "1.0.0")
    else:
        assert_complete(next(dist.glob(".1.0.0.previous-*")))


def kill_when_swapping(project: Path) -> None:
    child = start_build(project, pause_at_swap=True)
    dist = project / "dist"
    while child.poll() is None:
        if any(name.startswith(".1.0.0.previous-") for name in os.listdir(dist)):
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the build ended before it reached the swap"
    assert not (dist / "1.0.0").exists()  # the window: the old output is only the .previous-* folder
    assert_output_kept(dist)


@pytest.mark.slow
def test_kill_9_at_ten_moments_never_loses_the_output(tmp_path):
    project = tmp_path / "project"
    generate(project, articles=ARTICLES, seed=0)
    started = time.monotonic()
    first = start_build(project)
    assert first.wait() == 0, first.stderr.read().decode()
    duration = time.monotonic() - started
    clean = files_of(project / "dist" / "1.0.0")
    rng = random.Random(17)
    moments = sorted(rng.uniform(0.2, duration * 1.1) for _ in range(KILLS - 1))
    swap_kill = rng.randrange(KILLS)
    for k in range(KILLS):
        if k == swap_kill:
            kill_when_swapping(project)
            continue
        child = start_build(project)
        time.sleep(moments.pop(0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert_output_kept(project / "dist")
    final = start_build(project)
    assert final.wait() == 0, final.stderr.read().decode()
    assert sorted(p.name for p in (project / "dist").iterdir()) == [".newsstance-build.lock", "1.0.0"]
    assert files_of(project / "dist" / "1.0.0") == clean
