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


def read_manifest(source: str, revision: str | None) -> dict:
    """The source's manifest.json (a built folder's, or the Hub repo's at ``revision``); {} without one."""
    folder = Path(source)
    if folder.is_dir():
        path = folder / "manifest.json"
    else:
        try:
            from huggingface_hub import hf_hub_download
            path = Path(hf_hub_download(source, "manifest.json", repo_type="dataset", revision=revision))
        except Exception:  # no manifest on the Hub: the callers fall back to what the user pinned
            return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def dataset_version(source: str, revision: str | None) -> str:
    """The ``version`` of the source's manifest.json; the revision (or "unknown") without one."""
    version = read_manifest(source, revision).get("version")
    return str(version) if version is not None else revision or "unknown"


def dataset_content(source: str, revision: str | None) -> str | None:
    """The ``content_sha256`` of the source's manifest.json (which Parquet files), None without one."""
    content = read_manifest(source, revision).get("content_sha256")
    return content if isinstance(content, str) else None


def dataset_configs(source: str, revision: str | None) -> frozenset[str] | None:
    """The configs the source's manifest lists Parquet files of; None without a manifest."""
    outputs = read_manifest(source, revision).get("outputs")
    if not isinstance(outputs, dict):
        return None
    return frozenset(name.split("/", 1)[0] for name in outputs if name.endswith(".parquet"))


def dataset_splits(source: str, revision: str | None, config: str) -> frozenset[str] | None:
    """The splits of ``config`` the source's manifest lists Parquet files of; None without a manifest."""
    outputs = read_manifest(source, revision).get("outputs")
    if not isinstance(outputs, dict):
        return None
    return frozenset(name.split("/")[1].split("-")[0] for name in outputs
                     if name.startswith(f"{config}/") and name.endswith(".parquet"))


def display_source(source: str) -> str:
    """The source as recorded: as given, except an absolute local path, which is reduced to its name."""
    path = Path(source)
    return path.name if path.is_absolute() else source


def load_config(source: str, config: str, *, split: str, revision: str | None, cache_dir: Path | None):
    """The ``split`` of ``config`` of ``source`` as a ``datasets.Dataset``; E611 when it cannot be loaded."""
    import datasets
    splits = dataset_splits(source, revision, config)
    if splits and split not in splits:  # empty splits are not written: say so rather than "build first"
        raise InputError([problem("E464", display_source(source), config=config, split=split,
                                  splits=", ".join(sorted(splits)))])
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
