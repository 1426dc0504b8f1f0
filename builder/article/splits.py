"""Article -> split: stable across versions, from a hash of the id, unless the metadata says otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from builder.records import ArticleMeta


def hash_fraction(article_id: str) -> float:
    """A number in [0, 1) that depends only on the id (first 8 bytes of its sha256)."""
    return int.from_bytes(hashlib.sha256(article_id.encode("utf-8")).digest()[:8], "big") / 2**64


def split_of(meta: ArticleMeta, ratios: Sequence[tuple[str, float]]) -> str:
    if meta.split is not None:
        return meta.split
    fraction = hash_fraction(meta.id)
    cumulative = 0.0
    for name, ratio in ratios:
        cumulative += ratio
        if fraction < cumulative:
            return name
    return ratios[-1][0]
