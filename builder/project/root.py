"""Where the project is: the nearest folder at or above the working directory that holds annotations/schema.yaml.

Every command's default paths (``corpus/``, ``annotations/``, ``DATASET_CARD.md``, ``dist/``, ...) are
taken from that folder, so a command run anywhere inside a project (its ``corpus/``, say) reads and
writes the project's files. Outside any project the working directory is the root, as before.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = Path("annotations") / "schema.yaml"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``annotations/schema.yaml``; None if there is none."""
    start = Path(start).absolute()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def project_path(name: str | Path, cwd: Path | None = None) -> Path:
    """``name`` inside the project root, relative to the working directory (``corpus``, ``../corpus``)."""
    cwd = Path.cwd() if cwd is None else Path(cwd)
    root = find_root(cwd)
    if root is None or root == cwd.absolute():
        return Path(name)
    return Path(os.path.relpath(root / name, cwd.absolute()))
