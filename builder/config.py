"""The build configuration: frozen, validated on construction, hashable into the manifest."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from builder import DATASET_VERSION
from builder.errors import ConfigError, problem

DEFAULT_SPLIT_RATIOS = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
RELEASES = ("full", "public")  # full: every text; public: texts whose licence forbids redistribution withheld
SEMVER = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")  # matched whole (fullmatch): "$" lets a final "\n" through


@dataclass(frozen=True, slots=True)
class BuildConfig:
    corpus_dir: Path = Path("corpus")
    annotations_dir: Path = Path("annotations")
    card_path: Path = Path("DATASET_CARD.md")
    benchmarks_dir: Path = Path("benchmarks/results")  # results on record, listed in the card
    output_dir: Path | None = None  # None: dist/<version>
    version: str = DATASET_VERSION
    split_ratios: tuple[tuple[str, float], ...] = DEFAULT_SPLIT_RATIOS
    allow_unadjudicated: bool = False
    language: str = "en"
    rows_per_group: int = 1000  # Parquet row group size: bounds memory per write
    workers: int = 1  # processes for the per-article stages; does not change the output
    progress: bool = False  # does not change the output
    cache_dir: Path | None = None  # per-article results and row groups of earlier builds; does not change the output
    release: str = "full"  # one of RELEASES
    include_restricted_texts: bool = False  # a full release meant for publishing with the restricted texts: recorded

    def __post_init__(self) -> None:
        if not SEMVER.fullmatch(self.version):
            raise ConfigError(str(problem("E301", "build configuration", detail=f"version {self.version!r} is not MAJOR.MINOR.PATCH")))
        names = [name for name, _ in self.split_ratios]
        ratios = [ratio for _, ratio in self.split_ratios]
        if (sorted(names) != sorted(set(names)) or not set(names) <= {"train", "validation", "test"}
                or any(r <= 0 for r in ratios) or abs(sum(ratios) - 1.0) > 1e-9):
            raise ConfigError(str(problem("E302", "build configuration", ratios=dict(self.split_ratios))))
        if self.release not in RELEASES or (self.include_restricted_texts and self.release != "full"):
            raise ConfigError(str(problem("E301", "build configuration", detail=f"release {self.release!r} must be one "
                                          f"of {', '.join(RELEASES)}; include_restricted_texts only with 'full'")))
        if self.rows_per_group < 1 or self.workers < 1:
            raise ConfigError(str(problem("E301", "build configuration", detail="rows_per_group and workers must be at least 1")))

    @property
    def output(self) -> Path:
        return Path(self.output_dir) if self.output_dir is not None else Path("dist") / self.version

    def hash(self) -> str:
        """sha256 of every option that can change the output (paths, workers, progress and the cache cannot)."""
        options = {"version": self.version, "split_ratios": [list(p) for p in self.split_ratios],
                   "allow_unadjudicated": self.allow_unadjudicated, "language": self.language,
                   "rows_per_group": self.rows_per_group, "release": self.release,
                   "include_restricted_texts": self.include_restricted_texts}
        return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()
