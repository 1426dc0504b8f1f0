"""Memoizes ``article.build_article`` by a key of everything its result depends on; entries are verified, never trusted.

Layout of the cache folder (``newsstance build --cache DIR``, default ``.newsstance-cache/``)::

    NEWSSTANCE-CACHE      marker: what the folder is; a folder with files and without it is refused (E305)
    index                 sha256 of the rest, then the last successful build's articles: per metadata file,
                          its annotation and raw file names, the status of each file and the article's key
    articles/<kk>/<key>   sha256 of the rest, then one article's result: its key, summary and rows per config
                          (Arrow IPC), as msgpack
    chunks/<kk>/<key>     the same for a chunk of consecutive articles (the runner's unit of work): their keys,
                          summaries and rows per (config, split), so that an unchanged chunk is read in one go

An article's key (``keys.py``) covers everything its result depends on: a changed input changes the key,
so an entry is the right one or not found.

Nothing in the cache is trusted: an entry (or the index) is used only when the sha256 of its bytes is the one
stored with them and it names the key it was asked for; anything else (damaged, cut short, planted, of another
format) counts as missing and the article is built again from its files. Entries are msgpack and Arrow IPC,
decoded into declared types: loading one runs no code. Only files this cache writes are ever removed.

As git does, a file whose size, modification and change times and inode are those the index recorded is taken
to hold the bytes it had, so an unchanged article's key is known without reading its files; a file modified
less than ``SETTLED_NS`` before the build started is never recorded. ``--no-cache`` is the way out.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pyarrow as pa

from builder.article.build import ArticleSummary
from builder.errors import InputError, problem
from builder.sources.listing import ArticleFiles
from builder.speed.keys import FORMAT, article_key

MARKER = "NEWSSTANCE-CACHE"
SETTLED_NS = 2_000_000_000
DIGEST = 32
KEY = re.compile(r"[0-9a-f]{64}")


class Known(msgspec.Struct, frozen=True):
    """An article as a build found it: its files, their status and its key (an entry of the index)."""

    annotations: tuple[str, ...]  # ``ArticleFiles.annotations``
    raw: str | None  # the raw text's file name, beside the metadata file
    statuses: tuple[tuple[int, int, int, int], ...] | None  # size, mtime, ctime, inode per file; None: not settled
    key: str


class Index(msgspec.Struct):
    prefix: str
    articles: dict[str, Known]  # by metadata file path


class Entry(msgspec.Struct):
    key: str
    summary: ArticleSummary
    rows: dict[str, bytes]  # Arrow IPC message of each config's rows


class ChunkEntry(msgspec.Struct):
    key: str
    articles: list[str]  # the keys of its articles, in order
    summaries: list[ArticleSummary]
    rows: list[tuple[str, str, bytes]]  # (config, split, Arrow IPC message of its rows)


@dataclass(frozen=True, slots=True)
class Cached:
    """An article's cached result: its summary and its rows per config (none without annotations)."""

    summary: ArticleSummary
    rows: dict[str, pa.RecordBatch]


@dataclass(frozen=True, slots=True)
class CachedChunk:
    """A chunk's cached result: each article's summary, and the rows per (config, split) in article order."""

    key: str
    summaries: list[ArticleSummary]
    rows: dict[tuple[str, str], pa.RecordBatch]


def sealed(data: bytes) -> bytes:
    return hashlib.sha256(data).digest() + data


def unsealed(data: bytes) -> bytes | None:
    """The bytes after the digest, when the digest is theirs; else None."""
    body = data[DIGEST:]
    return body if len(data) > DIGEST and hashlib.sha256(body).digest() == data[:DIGEST] else None


def status_paths(meta: str, root: str, known: Known) -> list[str]:
    paths = [meta] if known.raw is None else [meta, os.path.join(os.path.dirname(meta), known.raw)]
    return paths + [os.path.join(root, name) for name in known.annotations]


def read_file(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


class BuildCache:
    """Article entries and the index under ``root``: entries are written by any process, the index by the main one."""

    def __init__(self, root: Path, prefix: str, schemas: Mapping[str, pa.Schema]):
        self.root = Path(root)
        self.prefix = prefix
        self.schemas = schemas
        claim(self.root)
        self.started = time.time_ns()
        self.index = self.read_index()
        self.kept: dict[str, Known] = {}  # this build's articles (main process)
        self.encode = msgspec.msgpack.Encoder().encode
        self.decode_entry = msgspec.msgpack.Decoder(Entry).decode
        self.decode_chunk = msgspec.msgpack.Decoder(ChunkEntry).decode
        self.used_chunks: set[str] = set()  # main process

    def path(self, key: str, kind: str = "articles") -> str:
        return os.path.join(self.root, kind, key[:2], key)

    def write(self, path: str, data: bytes) -> None:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.partial")
        with open(temporary, "wb") as handle:
            handle.write(sealed(data))
        os.replace(temporary, path)

    def read_index(self) -> dict[str, Known]:
        data = read_file(os.path.join(self.root, "index"))
        body = None if data is None else unsealed(data)
        try:
            index = None if body is None else msgspec.msgpack.decode(body, type=Index)
        except (msgspec.DecodeError, msgspec.ValidationError):
            index = None
        return index.articles if index is not None and index.prefix == self.prefix else {}

    def known_key(self, files: ArticleFiles) -> tuple[str, Known] | None:
        """The recorded key of the article of ``files`` when none of its files changed since; else None."""
        known = self.index.get(files.meta)
        if known is None or known.statuses is None or known.annotations != files.annotations:
            return None
        try:
            statuses = tuple(file_status(path) for path in status_paths(files.meta, files.root, known))
        except OSError:
            return None
        return (known.key, known) if statuses == known.statuses else None

    def record(self, files: ArticleFiles, raw: str | None, key: str) -> Known:
        """The index entry of an article just read, with its files' status unless one changed lately."""
        known = Known(files.annotations, raw, None, key)
        try:
            statuses = tuple(file_status(path) for path in status_paths(files.meta, files.root, known))
        except OSError:
            return known
        if any(status[1] >= self.started - SETTLED_NS for status in statuses):
            return known
        return Known(files.annotations, raw, statuses, key)

    def chunk_key(self, article_keys: list[str]) -> str:
        return hashlib.sha256(f"{self.prefix}\nchunk\n{chr(10).join(article_keys)}".encode()).hexdigest()

    def load_chunk(self, article_keys: list[str]) -> CachedChunk | None:
        """The verified result of the chunk of these articles, or None (missing, damaged or not theirs)."""
        key = self.chunk_key(article_keys)
        body = verified(self.path(key, "chunks"))
        try:
            entry = None if body is None else self.decode_chunk(body)
            if (entry is None or entry.key != key or entry.articles != article_keys
                    or [article_key(self.prefix, s.inputs) for s in entry.summaries] != article_keys):
                return None
            rows = {(name, split): pa.ipc.read_record_batch(pa.py_buffer(message), self.schemas[name])
                    for name, split, message in entry.rows}
        except (msgspec.DecodeError, msgspec.ValidationError, pa.ArrowException, KeyError, ValueError, EOFError):
            return None
        for (name, split), batch in rows.items():
            if batch.num_rows != sum(s.rows[name] for s in entry.summaries if s.split == split):
                return None
        return CachedChunk(key, entry.summaries, rows)

    def store_chunk(self, article_keys: list[str], summaries: list[ArticleSummary],
                    rows: Mapping[tuple[str, str], pa.RecordBatch]) -> str:
        key = self.chunk_key(article_keys)
        messages = [(name, split, batch.serialize().to_pybytes()) for (name, split), batch in rows.items()]
        self.write(self.path(key, "chunks"), self.encode(ChunkEntry(key, article_keys, summaries, messages)))
        return key

    def load(self, key: str) -> Cached | None:
        """The verified result stored under ``key``, or None (missing, damaged or not that key's)."""
        body = verified(self.path(key))
        if body is None:
            return None
        try:
            entry = self.decode_entry(body)
            if entry.key != key or article_key(self.prefix, entry.summary.inputs) != key:
                return None
            rows = {name: pa.ipc.read_record_batch(pa.py_buffer(message), self.schemas[name])
                    for name, message in entry.rows.items()}
        except (msgspec.DecodeError, msgspec.ValidationError, pa.ArrowException, KeyError, ValueError, EOFError):
            return None
        if any(rows[name].num_rows != count for name, count in entry.summary.rows.items() if name in rows):
            return None
        return Cached(entry.summary, rows)

    def store(self, key: str, summary: ArticleSummary, rows: Mapping[str, pa.RecordBatch]) -> None:
        messages = {name: batch.serialize().to_pybytes() for name, batch in rows.items()}
        self.write(self.path(key), self.encode(Entry(key, summary, messages)))

    def remember(self, meta: str, known: Known) -> None:
        """An article of this build, for the next build's index (main process)."""
        self.kept[meta] = known

    def commit(self) -> int:
        """After a successful build: remove the entries it did not use, then write the index; returns how
        many entries were removed."""
        used = {"articles": {known.key for known in self.kept.values()}, "chunks": self.used_chunks}
        removed = 0
        for kind, keep in used.items():
            top = self.root / kind
            for folder in (top.iterdir() if top.is_dir() else ()):
                if not (folder.is_dir() and re.fullmatch(r"[0-9a-f]{2}", folder.name)):
                    continue
                for entry in folder.iterdir():
                    if (KEY.fullmatch(entry.name) and entry.name not in keep) or entry.name.endswith(".partial"):
                        entry.unlink(missing_ok=True)
                        removed += 1
        self.write(os.fspath(self.root / "index"), self.encode(Index(self.prefix, dict(sorted(self.kept.items())))))
        return removed


def verified(path: str) -> bytes | None:
    """The bytes of a cache file after its digest, when the digest is theirs; else None."""
    data = read_file(path)
    return None if data is None else unsealed(data)


def file_status(path: str) -> tuple[int, int, int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


OLD_FORMAT = (".build-started", "index", "articles", "groups", "inputs")  # what caches before format 5 wrote


def claim(root: Path) -> None:
    """Make ``root`` a cache folder, or refuse one that holds files and is not one (E305). A cache of an
    earlier format (its ``.build-started`` marker) is emptied of what that format wrote, then claimed."""
    marker = root / MARKER
    earlier = not marker.is_file() and (root / OLD_FORMAT[0]).is_file()
    for path in (root / name for name in OLD_FORMAT) if earlier else ():
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
    if not earlier and root.is_dir() and not marker.is_file() and any(root.iterdir()):
        raise InputError([problem("E305", root, path=root, marker=MARKER)])
    root.mkdir(parents=True, exist_ok=True)
    if not marker.is_file():
        marker.write_text(f"{FORMAT}\nThis folder is a build cache of newsstance; it can be removed.\n", encoding="utf-8")
