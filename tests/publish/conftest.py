"""Fixtures the tests of builder/publish share."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubserver import write_build


@pytest.fixture
def build_folder():
    """Makes a small build folder: a documents config with ``docs`` and, unless ``ner=False``, a ner
    config, each one train split, with its card and manifest."""
    def make(root: Path, version: str = "1.0.0", docs=("one", "two"), ner: bool = True) -> Path:
        tables = {"documents": {"id": [f"d{i}" for i in range(len(docs))], "text": list(docs)}}
        if ner:
            tables["ner"] = {"id": ["d0"], "tokens": [["one"]]}
        return write_build(root, version, tables)

    return make
