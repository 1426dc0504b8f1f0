"""What a cached result depends on, as keys: the builder's core code, the libraries, the configuration, the files.

An article's key is the sha256 of the builder's core code (``CORE``), the versions of the libraries that
shape the output, the build configuration hash, ``schema.yaml`` and ``annotators.yaml`` (the fingerprint,
the same for every article of a build), and the names and sha256 of the article's files.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from builder.sources import limits

FORMAT = "newsstance-cache/5"  # in every key and in the marker: entries of another format are never found
SOURCE_ROOT = Path(__file__).resolve().parent.parent
CORE = ("__init__.py", "config.py", "errors", "records.py", "annotation.schema.json", "sources", "article",
        "agreement", "views")
"""The builder's files and packages whose code an article's result depends on (publishing, evaluation, the
command line, the output writers and this package can change without emptying the cache)."""
LIBRARIES = ("datasets", "pyarrow", "spacy", "huggingface_hub", "scikit-learn", "krippendorff", "numpy", "msgspec",
             "python-iso639")  # the ISO 639 data decides which spaCy class tokenizes a language code

def source_files() -> list[Path]:
    """The builder's files named by ``CORE``, packages whole, sorted."""
    found = []
    for name in CORE:
        path = SOURCE_ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return sorted(found)


def fingerprint(config_hash: str, annotations_dir: Path) -> str:
    """sha256 of what every article's result depends on besides its own files."""
    digest = hashlib.sha256(f"{FORMAT}\n".encode())
    for path in source_files():
        digest.update(f"{path.relative_to(SOURCE_ROOT).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\n".encode())
    digest.update(f"config {config_hash}\n".encode())
    # a limit lowered on the command line must check again the articles it would refuse (schema.yaml's are below)
    digest.update(f"limits {sorted(limits.overrides().items())}\n".encode())
    for name in ("schema.yaml", "annotators.yaml"):
        path = Path(annotations_dir) / name
        digest.update(name.encode() + (hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-"))
    return digest.hexdigest()


def article_key(prefix: str, inputs) -> str:
    """The key of one article: ``prefix`` (the fingerprint) and its (file name, sha256) inputs."""
    digest = hashlib.sha256(prefix.encode())
    for name, sha in inputs:
        digest.update(f"\n{name}\t{sha}".encode())
    return digest.hexdigest()
