"""The output folder: built in a staging folder beside it, moved into place only when the build succeeded.

Beside ``dist/<version>`` live, for a moment, ``.<version>.partial-PID`` (the build being written),
``.<version>.previous-PID`` (the old output, between the two renames that swap the new one in) and
``.<version>.removing-PID`` (the old output being deleted). A build killed at any instant leaves either a
complete ``dist/<version>`` or, between the two renames, the complete old output as ``.previous-PID``: the
next build (``clear_leftovers``, run under the build lock) puts that back in place and removes the rest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import InputError, problem
from builder.output.manifest import MANIFEST

KINDS = ("partial", "previous", "removing")


def leftovers(final: Path, kind: str) -> list[Path]:
    prefix = f".{final.name}.{kind}-"
    if not final.parent.is_dir():
        return []
    return sorted(final.parent / name for name in os.listdir(final.parent) if name.startswith(prefix))


def clear_leftovers(final: Path) -> None:
    """Restore the old output a build killed between its two renames left as ``.previous-PID`` (when
    nothing is in place), then remove every ``.partial-*``, ``.previous-*`` and ``.removing-*`` folder."""
    for previous in leftovers(final, "previous"):
        if not final.exists() and (previous / MANIFEST).is_file():
            previous.rename(final)
    for kind in KINDS:
        for folder in leftovers(final, kind):
            shutil.rmtree(folder)


@contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``final``; move it into place only if the block succeeds.

    A failure leaves any previous output untouched. A folder that is not a previous build (it has no
    manifest.json) is never replaced. The caller holds the build lock (``output.lock``).
    """
    final = Path(final)
    clear_leftovers(final)
    if final.exists() and not (final / MANIFEST).is_file():
        raise InputError([problem("E303", final, path=final)])
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.partial-{os.getpid()}"
    staging.mkdir()
    try:
        yield staging
        swap_in(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, final: Path) -> None:
    """Two renames: ``final`` aside as ``.previous-PID``, ``staging`` to ``final``; then the old one away.
    The old output is renamed once more before it is deleted, so that a ``.previous-*`` folder is always whole."""
    pid = os.getpid()
    previous = final.parent / f".{final.name}.previous-{pid}"
    if final.exists():
        final.rename(previous)
    try:
        staging.rename(final)
    except BaseException:
        if previous.exists() and not final.exists():
            previous.rename(final)
        raise
    if previous.exists():
        removing = final.parent / f".{final.name}.removing-{pid}"
        previous.rename(removing)
        shutil.rmtree(removing, ignore_errors=True)
