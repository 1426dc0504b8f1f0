"""A built dataset folder (the output of ``newsstance build``) -> rows per split, for the training exports.

Layout: ``<dataset>/<config>/<split>-<shard>-of-<count>.parquet``. The declared ``datasets.Features``
travel in each file's schema metadata, so ClassLabel integers are turned back into their names here
with the names the build wrote, not with today's schema.yaml.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pyarrow.parquet as pq
from datasets import Features

from builder.errors import InputError, Problem, problem

Made = TypeVar("Made")


def split_files(dataset_dir: Path, config: str) -> dict[str, list[Path]]:
    """Split name -> its Parquet shards, sorted; raises E422 when the config has none."""
    folder = Path(dataset_dir) / config
    files: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(folder.glob("*.parquet")):
        files[path.name.split("-", 1)[0]].append(path)
    if not files:
        raise InputError([problem("E422", dataset_dir, path=dataset_dir, what=f"{config}/<split>-*.parquet files")])
    return dict(sorted(files.items()))


def read_split(paths: list[Path]) -> tuple[Features, list[dict]]:
    """The rows of one split (plain Python values, ClassLabels still integers) and their Features."""
    tables = [pq.read_table(path) for path in paths]
    features = Features.from_arrow_schema(tables[0].schema)
    return features, [row for table in tables for row in table.to_pylist()]


def read_config(dataset_dir: Path, config: str) -> dict[str, tuple[Features, list[dict]]]:
    return {split: read_split(paths) for split, paths in split_files(dataset_dir, config).items()}


def write_splits(made: Mapping[str, Made], problems: Sequence[Problem], output_dir: Path, suffix: str,
                 write: Callable[[Made, Path], object]) -> dict[str, Path]:
    """``<output>/<split><suffix>`` for every split, written by ``write``; nothing unless ``problems`` is empty."""
    if problems:
        raise InputError(problems)
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    paths = {}
    for split, content in made.items():
        paths[split] = Path(output_dir) / f"{split}{suffix}"
        write(content, paths[split])
    return paths
