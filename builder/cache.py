"""The build cache: each article's result and each encoded Parquet row group of earlier builds, by content.

Layout of the cache folder (``newsstance build --cache DIR``, default ``.newsstance-cache/``)::

    articles/<kk>/<key>   one article: its summary (counts, agreement, input checksums), then its rows
                          per config as Arrow IPC messages
    groups/<kk>/<key>     one Parquet row group as encoded bytes, with its footer entry
    inputs/<kk>/<key>     the sha256 of one article's files, with the size, times and inode each had

An article's key is the sha256 of everything its rows and summary depend on: the builder's modules
that compute them (``source_files``) and the versions of the libraries that shape the output
(``fingerprint``), the build
configuration hash, ``schema.yaml`` and ``annotators.yaml``, and the names and sha256 of the
article's metadata, raw text and annotation files. A row group's key is the sha256 of the keys of
the articles whose rows it holds, with the row ranges taken from each. A changed input changes the
key, so nothing is ever invalidated by hand: an entry is either the right one or not found.

A rebuild needs the sha256 of every input file, and reading them all is most of its time. As git and
make do, a file whose size, modification and change times and inode are those recorded is taken to
hold the bytes it had (``known_inputs``). A file modified less than ``SETTLED_NS`` before the build
started is never recorded, so that a later change within the file system's time granularity cannot
pass unseen; a file changed while keeping all four (``touch -d`` after an edit of the same length)
would, and ``--no-cache`` (or removing the folder) is the way out.

Only articles without problems are stored. Entries are written under a temporary name and renamed,
so a crashed build leaves no half-written entry, and an entry that cannot be read counts as missing.
Every entry a build uses is touched; after a successful build, entries last touched before the
build started are removed, so the cache holds what the last build needed (``prune``). Two builds
should not share a cache folder at the same time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pyarrow as pa

from .write import EncodedGroup

SOURCE_ROOT = Path(__file__).resolve().parent
LIBRARIES = ("datasets", "pyarrow", "spacy", "huggingface_hub", "scikit-learn", "krippendorff", "numpy")
LENGTH = struct.Struct("<Q")
SETTLED_NS = 2_000_000_000
RELATIVE_IMPORT = re.compile(r"^[ \t]*from \.(\w*) import (\([^)]*\)|[^\n]*)", re.MULTILINE)


def file_status(path: str) -> tuple[int, int, int, int]:
    """What says a file is unchanged: size, modification and change times, inode."""
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def source_files() -> list[Path]:
    """The builder's files an article's result depends on: ``parallel.py`` (the per-article stages),
    every module of the package it imports, directly or not (found by a pattern over the source:
    imports inside functions count, and a false match only empties the cache more often), the package's ``__init__.py`` and the annotation JSON Schema.
    Other modules (publishing, evaluation, the command line) can change without emptying the cache."""
    todo, seen = ["parallel", "__init__"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for module, names in RELATIVE_IMPORT.findall((SOURCE_ROOT / f"{name}.py").read_text(encoding="utf-8")):
            found = [module] if module else [n.split(" as ")[0].strip() for n in names.strip("()").split(",")]
            todo += [n for n in found if (SOURCE_ROOT / f"{n}.py").is_file()]
    return sorted(SOURCE_ROOT / f"{name}.py" for name in seen) + [SOURCE_ROOT / "annotation.schema.json"]


def fingerprint(config_hash: str, annotations_dir: Path) -> str:
    """sha256 of what every article's result depends on besides its own files."""
    digest = hashlib.sha256(b"newsstance-cache/1\n")
    for path in source_files():
        digest.update(f"{path.relative_to(SOURCE_ROOT).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\n".encode())
    digest.update(f"config {config_hash}\n".encode())
    for name in ("schema.yaml", "annotators.yaml"):
        path = Path(annotations_dir) / name
        digest.update(name.encode() + (hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-"))
    return digest.hexdigest()


def article_key(prefix: str, inputs: Sequence[tuple[str, str]]) -> str:
    """The key of one article: ``prefix`` (the fingerprint) and its (file name, sha256) inputs."""
    digest = hashlib.sha256(prefix.encode())
    for name, sha in inputs:
        digest.update(f"\n{name}\t{sha}".encode())
    return digest.hexdigest()


class BuildCache:
    """Article entries and row groups under ``root``; safe to use from several processes."""

    def __init__(self, root: Path, configs: Sequence[str]):
        self.root = Path(root)
        self.folder = os.fspath(self.root)  # paths as strings: one per article, many per build
        self.configs = tuple(configs)
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / ".build-started"  # the file system's clock, the one entries are touched by
        marker.touch()
        self.started = marker.stat().st_mtime_ns

    def path(self, kind: str, key: str) -> str:
        return os.path.join(self.folder, kind, key[:2], key)

    def write(self, kind: str, key: str, data: bytes) -> None:
        path = self.path(kind, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = os.path.join(os.path.dirname(path), f".{key}.{os.getpid()}.partial")
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)

    def touch(self, path: str) -> None:
        try:
            os.utime(path)
        except OSError:
            pass

    # --- articles ---

    def load_summary(self, key: str) -> bytes | None:
        """The pickled summary of a cached article, or None (and the entry is marked as used)."""
        path = self.path("articles", key)
        try:
            with open(path, "rb") as handle:
                (size,) = LENGTH.unpack(handle.read(LENGTH.size))
                data = handle.read(size)
        except (OSError, struct.error):
            return None
        if len(data) != size:
            return None
        self.touch(path)
        return data

    def rows_loader(self, key: str, config: str, schema: pa.Schema) -> Callable[[], pa.RecordBatch]:
        """A function that reads the cached rows of one config of an article (only when a row group
        holding them has to be encoded again)."""
        def load() -> pa.RecordBatch:
            with open(self.path("articles", key), "rb") as handle:
                data = handle.read()
            position = 0
            (size,) = LENGTH.unpack_from(data, position)
            position += LENGTH.size + size
            for name in self.configs:
                (size,) = LENGTH.unpack_from(data, position)
                position += LENGTH.size
                if name == config:
                    return pa.ipc.read_record_batch(pa.py_buffer(data[position:position + size]), schema)
                position += size
            raise KeyError(config)
        return load

    def store_article(self, key: str, summary: bytes, batches: Mapping[str, pa.RecordBatch]) -> None:
        parts = [LENGTH.pack(len(summary)), summary]
        for name in self.configs:
            message = batches[name].serialize().to_pybytes()
            parts += [LENGTH.pack(len(message)), message]
        self.write("articles", key, b"".join(parts))

    # --- input checksums, by file status ---

    @staticmethod
    def inputs_key(meta_path: str) -> str:
        return hashlib.sha256(os.path.abspath(meta_path).encode()).hexdigest()

    def known_inputs(self, meta_path: str) -> tuple[tuple[str, str], ...] | None:
        """The (manifest name, sha256) of the files of the article whose metadata file is ``meta_path``,
        when none of them changed since they were recorded; else None."""
        path = self.path("inputs", self.inputs_key(meta_path))
        try:
            with open(path, "rb") as handle:
                recorded = pickle.loads(handle.read())
            if any(file_status(file) != status for _, file, status, _ in recorded):
                return None
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        self.touch(path)
        return tuple((name, sha) for name, _, _, sha in recorded)

    def record_inputs(self, meta_path: str, files: Sequence[tuple[str, str, str]]) -> None:
        """Record (manifest name, path, sha256) of an article's files, if none was modified lately."""
        try:
            statuses = [file_status(path) for _, path, _ in files]
        except OSError:
            return
        if any(status[1] >= self.started - SETTLED_NS for status in statuses):  # by modification time
            return
        recorded = tuple((name, path, status, sha) for (name, path, sha), status in zip(files, statuses))
        self.write("inputs", self.inputs_key(meta_path), pickle.dumps(recorded, protocol=pickle.HIGHEST_PROTOCOL))

    # --- row groups (the GroupStore of write.py) ---

    def get_group(self, key: str) -> EncodedGroup | None:
        path = self.path("groups", key)
        try:
            with open(path, "rb") as handle:
                group = pickle.loads(handle.read())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        self.touch(path)
        return group if isinstance(group, EncodedGroup) else None

    def put_group(self, key: str, group: EncodedGroup) -> None:
        stored = replace(group, data=group.data.to_pybytes() if isinstance(group.data, pa.Buffer) else group.data)
        self.write("groups", key, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))

    # --- housekeeping ---

    def prune(self) -> int:
        """Remove entries this build did not use (older than its start); returns how many."""
        removed = 0
        for kind in ("articles", "groups", "inputs"):
            top = self.root / kind
            if not top.is_dir():
                continue
            for folder in os.scandir(top):
                if not folder.is_dir():
                    continue
                for entry in os.scandir(folder.path):
                    try:
                        if entry.stat().st_mtime_ns < self.started:
                            os.unlink(entry.path)
                            removed += 1
                    except OSError:
                        pass
        return removed
