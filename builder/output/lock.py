"""One build at a time per output: a lock file beside the output folder, holding the pid of the build that has it.

The lock is ``fcntl.flock`` on the file, so the kernel releases it when its holder ends in any way (kill -9,
out of memory): a lock file left by a process that no longer exists is simply taken. A second build waits
up to ``wait`` seconds for the first, then refuses with E814 naming the holder's pid.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import InputError, problem

LOCK_NAME = ".newsstance-build.lock"
POLL_SECONDS = 0.1


def lock_path(output: Path) -> Path:
    return Path(output).parent / LOCK_NAME


@contextmanager
def build_lock(output: Path, wait: float = 2.0) -> Iterator[Path]:
    """Hold the lock of ``output`` (made beside it) for the block; E814 if another build holds it longer
    than ``wait`` seconds."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    held = False
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise InputError([problem("E814", path, pid=holder(fd), path=path)]) from None
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        if held:
            os.ftruncate(fd, 0)  # no pid: nobody holds it
        os.close(fd)  # releases the lock; the file stays, for the next build to take


def holder(fd: int) -> str:
    """The pid written in the lock file, as text ('unknown' if it says none)."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "unknown"
