"""Running `newsstance` on a hostile project in a child process, bounded, and what the tests assert of every run.

The child runs under an address-space limit (``RLIMIT_AS``) and a CPU-time limit, so that a case that
regresses to unbounded memory or time fails its test instead of taking the shared machine down; its CPU
seconds and peak RSS come from ``os.wait4`` (that child's own ``rusage``).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from factories import REPO, files_of, make_project

ADDRESS_SPACE = 6 * 2 ** 30  # spaCy, torch-free, maps about 1.5 GB of address space when idle
CPU_SECONDS = 240


@dataclass(frozen=True, slots=True)
class Run:
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float
    peak_rss_mb: float


def bounded(address_space: int, cpu_seconds: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    return apply


def run_cli(cwd: Path, *argv: str, timeout: float = 300, address_space: int = ADDRESS_SPACE,
            cpu_seconds: int = CPU_SECONDS, close_stdout: bool = False) -> Run:
    """``python -m builder.cli ARGV`` in ``cwd``; ``close_stdout``: its stdout is a pipe nobody reads."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO)]))}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "builder.cli", *argv], cwd=cwd, env=env,
                                 stdout=subprocess.PIPE if close_stdout else out, stderr=err,
                                 preexec_fn=bounded(address_space, cpu_seconds))
        if close_stdout:
            child.stdout.close()  # as `| head -1` does once it has its line
        try:
            _, status, usage = wait4(child, timeout)
        finally:
            if child.returncode is None and child.poll() is None:
                child.kill()
                child.wait()
        out.seek(0)
        err.seek(0)
        return Run(os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def wait4(child: subprocess.Popen, timeout: float):
    """``os.wait4`` of the child, killing it after ``timeout`` seconds (a FIFO read would block forever)."""
    import threading

    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        found = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(found[1])
    return found


def built_project(root: Path) -> Path:
    """A one-article project, built once: its dist/ is what a failed build must leave as it is."""
    make_project(root)
    run = run_cli(root, "build", "--no-cache")
    assert run.code == 0, run.stderr
    return root


def dist_files(root: Path) -> dict[str, bytes]:
    return files_of(root / "dist")


def assert_refused(run: Run, code: str, root: Path, before: dict[str, bytes], *, cpu: float = 60,
                   rss_mb: float = 1500) -> None:
    """Exit 1 with ``code`` in the message (stderr, or stdout for `validate`'s report), no traceback,
    dist/ as it was, within the bounds."""
    told = run.stderr + run.stdout
    assert run.code == 1, (run.code, told[-2000:])
    assert code in told, told[-2000:]
    assert "Traceback" not in told, told[-4000:]
    assert dist_files(root) == before
    assert run.cpu_seconds < cpu and run.peak_rss_mb < rss_mb, (run.cpu_seconds, run.peak_rss_mb)
