"""Where gold comes from: a built folder or any ``datasets.load_dataset`` source, and its version.

Gold is read with ``datasets.load_dataset(data, config, split=...)`` from a built folder
(``dist/<version>``, whose manifest.json gives the version) or any other ``load_dataset`` source,
pinned with ``revision``. What each task reads from it is in its own module (``ner.py``,
``stance.py``, ``cleaning.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from builder.errors import InputError, problem
from builder.evaluation.records import DataRef, Gold


def dataset_version(source: str, revision: str | None) -> str:
    """The ``version`` of the source's manifest.json; the revision (or "unknown") without one."""
    folder = Path(source)
    if folder.is_dir():
        path = folder / "manifest.json"
    else:
        try:
            from huggingface_hub import hf_hub_download
            path = Path(hf_hub_download(source, "manifest.json", repo_type="dataset", revision=revision))
        except Exception:  # no manifest on the Hub: fall back to what the user pinned
            return revision or "unknown"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return revision or "unknown"


def display_source(source: str) -> str:
    """The source as recorded: as given, except an absolute local path, which is reduced to its name."""
    path = Path(source)
    return path.name if path.is_absolute() else source


def load_config(source: str, config: str, *, split: str, revision: str | None, cache_dir: Path | None):
    """The ``split`` of ``config`` of ``source`` as a ``datasets.Dataset``; E611 when it cannot be loaded."""
    import datasets
    options = {"revision": revision} if revision else {}
    try:
        return datasets.load_dataset(source, config, split=split, cache_dir=str(cache_dir) if cache_dir else None,
                                     **options)
    except Exception as exc:  # datasets raises many types (missing split, config, file, repo)
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        raise InputError([problem("E611", source, config=config, split=split, detail=detail)]) from None


def documents_gold(task: str, ref: DataRef, read: Callable[[str], object]) -> Gold:
    """The articles of ``task``'s gold: the cleaned and raw texts of the ``documents`` config."""
    rows = read("documents").select_columns(["id", "text", "raw_text"]).to_list()
    return Gold(task, ref, texts={r["id"]: r["text"] for r in rows}, raw_texts={r["id"]: r["raw_text"] for r in rows})
