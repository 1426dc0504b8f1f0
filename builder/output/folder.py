"""The output folder: built in a staging folder beside it, moved into place only when the build succeeded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import InputError, problem
from builder.output.manifest import MANIFEST


@contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``final``; move it into place only if the block succeeds.

    A failure leaves any previous output untouched. A folder that is not a previous build (it has no
    manifest.json) is never replaced.
    """
    final = Path(final)
    if final.exists() and not (final / MANIFEST).is_file():
        raise InputError([problem("E303", final, path=final)])
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
