"""The build cache: each article's result and each encoded Parquet row group of earlier builds, by content,
and an index of the files the last build read.

Layout of the cache folder (``newsstance build --cache DIR``, default ``.newsstance-cache/``)::

    index                 the articles of the last successful build: per article, by its metadata file's
                          path, the names of its annotation files and raw text, the status (size,
                          modification and change times, inode) of each of its files, and its key;
                          then the name of that build and the keys of the row groups it used
    articles/<kk>/<key>   one article: the sizes of what follows and a digest of each part (16 bytes of its
                          sha256), its summary (counts, agreement, input checksums), its rows per config as
                          Arrow IPC messages (none without annotations), the tokens of its gold cleaned
                          text (``align.tokens_record``)
    groups/<kk>/<key>     one Parquet row group: the sizes of what follows, its footer entry, the footer
                          of its config's files, its encoded bytes
    .build-started        written when a build starts, with its name: the file system's clock, for
                          ``SETTLED_NS``, and which build started last

An article's key is the sha256 of everything its rows and summary depend on: the builder's modules
that compute them (``source_files``) and the versions of the libraries that shape the output
(``fingerprint``), the build configuration hash, ``schema.yaml`` and ``annotators.yaml``, and the names
and sha256 of the article's metadata, raw text and annotation files. A row group's key is the sha256
of the keys of the articles whose rows it holds, with the row ranges taken from each. A changed input
changes the key, so nothing is ever invalidated by hand: an entry is either the right one or not found.

A rebuild needs the key of every article, and reading every file for its sha256 would be most of its
time. As git and make do, a file whose size, modification and change times and inode are those the
index recorded is taken to hold the bytes it had: the main process reads the index once, the worker
processes get it with the rest of the build's context, and an article whose files all have their
recorded status (and whose annotation files are the recorded ones) gets its recorded key without a
byte of it being read (``BuildCache.known``). A file modified less than ``SETTLED_NS`` before the build
started is never recorded, so that a later change within the file system's time granularity cannot
pass unseen; a file changed while keeping all four (``touch -d`` after an edit of the same length)
would, and ``--no-cache`` (or removing the folder) is the way out. The index is held in memory, under
a kilobyte per article.

An article whose files changed is built again, but its cleaned text mostly did not (an annotator
changed a label): its tokens are taken from the entry the index names for it, when that entry's token
record was made from the same text in the same language (``previous_tokens``; the sha256 of both is in
the record). Making the spaCy pipeline is most of what one changed article costs a rebuild.

Workers write article entries (each under its own name), the main process row groups and, at the end
of a successful build, the new index: the articles of this build (``remember``), whether they were
built or taken from the cache. Everything is written under a temporary name and renamed, so a crashed
build leaves nothing half-written. An entry that cannot be read counts as missing, and so does a part
of it whose digest differs or a summary whose input checksums do not give the article's key back; rows
that cannot be read when a row group is encoded again are made again from the article's files (the
key check makes sure they are the files the entry was made from). An index that cannot be read or
was written for another fingerprint (other sources, libraries, configuration, label schema or cache
format: ``FORMAT``) counts as missing too. Before writing the index the main process removes every
article entry it will not name and every row group this build did not use, so the cache holds what
the last build needed (``commit``); a failed build leaves the index as it was. When the index read
at the start was written by the last build that started (the marker names it), the cache holds
nothing but what that index names, and only the entries it names that this build did not use are
removed; otherwise (a build failed or crashed since, or the index could not be read whole) every
file of the cache is looked at. Two builds should not share a cache folder at the same time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import struct
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pyarrow as pa

from builder.output.parquet import EncodedGroup

if TYPE_CHECKING:
    from builder.sources.listing import ArticleFiles

FORMAT = "newsstance-cache/4"  # in every key and in the index: entries of another format are never found
SOURCE_ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("datasets", "pyarrow", "spacy", "huggingface_hub", "scikit-learn", "krippendorff", "numpy")
GROUP_SIZES = struct.Struct("<QQQ")  # of a stored row group's parts
DIGEST_BYTES = 16  # of each part of an article entry: the first bytes of its sha256
STATUS = struct.Struct("<QqqQ")  # size, modification and change times (ns), inode
SETTLED_NS = 2_000_000_000


def file_status(path: str) -> bytes:
    """What says a file is unchanged: size, modification and change times, inode (packed)."""
    status = os.stat(path)
    return STATUS.pack(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def digest_of(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:DIGEST_BYTES]


def read_text(path: Path) -> str | None:
    """The file's text, or None if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


CORE = ("__init__.py", "config.py", "errors.py", "records.py", "annotation.schema.json", "validate.py",
        "sources", "article", "agreement", "views")
"""What an article's result is made by: the files and packages of the builder whose code a cache entry
depends on (publishing, evaluation, the command line and the output writers can change without emptying
the cache)."""


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


class Known(NamedTuple):
    """An article as a build found it: its index entry."""

    meta: str  # the metadata file's path, as the build names it
    annotations: tuple[str, ...]  # ``ArticleFiles.annotations``
    raw: str | None  # the raw text's file name, beside the metadata file
    statuses: bytes | None  # ``file_status`` of the metadata, raw text and annotation files; None: not settled
    key: str

    def paths(self, root: str) -> list[str]:
        """The files ``statuses`` are those of, in order (``root``: the annotations folder). Joined by
        hand, not by ``os.path``: this runs for every article of every rebuild."""
        meta = self.meta
        paths = [meta] if self.raw is None else [meta, meta[:meta.rfind("/") + 1] + self.raw]
        return paths + [f"{root}/{name}" for name in self.annotations]


class BuildCache:
    """Article entries, row groups and the index under ``root``; entries can be written from several
    processes, the index only by the main one."""

    def __init__(self, root: Path, configs: Sequence[str], prefix: str):
        self.root = Path(root)
        self.folder = os.fspath(self.root)  # paths as strings: one per article, many per build
        self.configs = tuple(configs)
        self.sizes = struct.Struct(f"<{2 + len(self.configs)}Q")  # of an article entry's parts
        self.entry_head = self.sizes.size + DIGEST_BYTES * (2 + len(self.configs))  # sizes, then digests
        self.header = f"{FORMAT} {prefix}\n".encode()
        self.prefix = prefix
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.root / ".build-started"  # the file system's clock, the one files are modified by
        last_started = read_text(marker)
        self.build = f"{os.getpid()} {time.time_ns()}"  # names this build in the marker and in its index
        marker.write_text(self.build, encoding="utf-8")
        self.started = marker.stat().st_mtime_ns
        self.index, (index_build, self.index_groups) = self.read_index()  # the last build's (read-only)
        self.committed = index_build is not None and index_build == last_started  # no build since left entries
        self.kept: dict[str, Known] = {}  # this build's articles (main process)
        self.replaced: set[str] = set()  # keys of articles remembered, then remembered again with another key
        self.used_groups: set[str] = set()  # row groups this build took or wrote (main process)
        self.footers: dict[bytes, list] = {}  # pickled -> loaded footers of row groups

    def path(self, kind: str, key: str) -> str:
        return f"{self.folder}/{kind}/{key[:2]}/{key}"  # not os.path.join: once per article of every rebuild

    def write(self, path: str, *parts: bytes | pa.Buffer) -> None:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.partial")
        with open(temporary, "wb") as handle:
            for part in parts:
                handle.write(part)
        os.replace(temporary, path)

    # --- the index ---

    def read_index(self) -> tuple[dict[str, Known], tuple[str | None, frozenset[str]]]:
        """The last build's articles, or none when the index is missing, unreadable or of another
        fingerprint; and the build that wrote it with the row groups it used (None and none, unless
        the index could be read whole)."""
        index: object = {}
        try:
            with open(os.path.join(self.folder, "index"), "rb") as handle:
                if handle.read(len(self.header)) != self.header:
                    return {}, (None, frozenset())
                index = pickle.load(handle)
                build, groups = pickle.load(handle)
            if not isinstance(index, dict) or not isinstance(build, str) or not isinstance(groups, frozenset):
                raise TypeError("not an index")
        except Exception:  # noqa: BLE001 - a damaged pickle can raise almost anything; it counts as missing
            return (index if isinstance(index, dict) else {}), (None, frozenset())
        return index, (build, groups)

    def known(self, files: ArticleFiles) -> Known | None:
        """The index entry of the article of ``files`` when none of its files changed since it was
        recorded; else None."""
        known = self.index.get(files.meta)
        try:
            if known is None or known.statuses is None or known.annotations != files.annotations:
                return None
            return known if b"".join(map(file_status, known.paths(files.root))) == known.statuses else None
        except (OSError, AttributeError, TypeError, ValueError):  # a file is gone, or the entry is damaged
            return None

    def record(self, files: ArticleFiles, raw: str | None, key: str) -> Known:
        """The index entry of an article just read, with the status of its files unless one was
        modified lately (by modification time)."""
        known = Known(files.meta, files.annotations, raw, None, key)
        try:
            statuses = [os.stat(path) for path in known.paths(files.root)]
        except OSError:
            return known
        if any(status.st_mtime_ns >= self.started - SETTLED_NS for status in statuses):
            return known
        packed = b"".join(STATUS.pack(s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino) for s in statuses)
        return known._replace(statuses=packed)

    def remember(self, known: Known) -> None:
        """An article of this build, for the next build's index (main process)."""
        previous = self.kept.get(known.meta)
        if previous is not None and previous.key != known.key:  # a build that started again (grouped by content)
            self.replaced.add(previous.key)
        self.kept[known.meta] = known

    def commit(self) -> int:
        """After a successful build: remove the entries it did not use, then write the index of this
        build's articles and row groups; returns how many entries were removed. (In this order, a
        crash in between leaves an index that names removed entries, which count as missing, and a
        marker that names this build, so that the next one looks at every file.)"""
        shutil.rmtree(self.root / "inputs", ignore_errors=True)  # the per-article input records of format 1
        used = {"articles": {known.key for known in self.kept.values()}, "groups": self.used_groups}
        if self.committed and all(isinstance(known, Known) for known in self.index.values()):
            removed = self.remove_unused(used)
        else:
            removed = self.remove_all_unused(used)
        self.write(os.path.join(self.folder, "index"),
                   self.header + pickle.dumps(self.kept, protocol=pickle.HIGHEST_PROTOCOL)
                   + pickle.dumps((self.build, frozenset(self.used_groups)), protocol=pickle.HIGHEST_PROTOCOL))
        return removed

    def remove_unused(self, used: Mapping[str, set[str]]) -> int:
        """Remove what the last build used and this one did not, when nothing else can be there: the
        last build to start wrote the index that was read."""
        removed = 0
        before = {"articles": {known.key for known in self.index.values()} | self.replaced, "groups": self.index_groups}
        for kind, keys in before.items():
            for key in keys - used[kind]:
                try:
                    os.unlink(self.path(kind, key))
                    removed += 1
                except OSError:
                    pass
        return removed

    def remove_all_unused(self, used: Mapping[str, set[str]]) -> int:
        """Remove every entry this build did not use, looking at every file of the cache (after a build
        that failed or crashed, its entries and partial files are found this way)."""
        removed = 0
        for kind, keep in used.items():
            top = os.path.join(self.folder, kind)
            if not os.path.isdir(top):
                continue
            for folder in os.scandir(top):
                if not folder.is_dir():
                    continue
                for entry in os.scandir(folder.path):
                    if entry.name not in keep:
                        try:
                            os.unlink(entry.path)
                            removed += 1
                        except OSError:
                            pass
        return removed

    # --- articles ---

    def store_article(self, key: str, summary: bytes, batches: Mapping[str, pa.RecordBatch], tokens: bytes = b"") -> None:
        """An article's summary, its rows of each config (``batches`` is empty for an article without rows)
        and the tokens of its cleaned text (``align.tokens_record``)."""
        messages = [batches[name].serialize().to_pybytes() if batches else b"" for name in self.configs]
        parts = [summary, *messages, tokens]
        self.write(self.path("articles", key), b"".join([self.sizes.pack(*map(len, parts)), *map(digest_of, parts),
                                                         *parts]))

    def previous_tokens(self, files: ArticleFiles) -> bytes | None:
        """The token record of the last build's entry of this article (whose files have changed since:
        mostly an annotation file, not the text), or None."""
        known = self.index.get(files.meta)
        try:
            return None if known is None else self.read_article(known.key, 1 + len(self.configs)) or None
        except (AttributeError, TypeError):  # a damaged index entry
            return None

    def read_article(self, key: str, part: int) -> bytes | None:
        """Part ``part`` of an article entry (0: the summary, 1 + i: the rows of config i, then the tokens), or
        None when the entry is missing or the part is not the one it was (its digest differs)."""
        head = self.entry_head
        try:
            fd = os.open(self.path("articles", key), os.O_RDONLY)
        except OSError:
            return None
        try:
            data = os.read(fd, 4096)  # the sizes and, mostly, the whole summary
            if len(data) < head:
                return None
            sizes = self.sizes.unpack_from(data)
            at = self.sizes.size + DIGEST_BYTES * part
            digest = data[at:at + DIGEST_BYTES]
            start = head + sum(sizes[:part])
            if start + sizes[part] > len(data):
                if start + sizes[part] > os.fstat(fd).st_size:  # a damaged size: never read (or allocate) past the end
                    return None
                data, start = os.pread(fd, sizes[part], start), 0
            found = data[start:start + sizes[part]]
            return found if len(found) == sizes[part] and digest_of(found) == digest else None
        except OSError:
            return None
        finally:
            os.close(fd)

    def load_summary(self, key: str) -> bytes | None:
        """The pickled summary of a cached article, or None."""
        return self.read_article(key, 0)

    def load_rows(self, key: str, config: str, schema: pa.Schema, rows: int) -> pa.RecordBatch | None:
        """The cached rows (``rows`` of them) of one config of an article, or None when its entry cannot
        be read (read only when a row group holding them has to be encoded again)."""
        data = self.read_article(key, 1 + self.configs.index(config))
        try:
            batch = None if data is None else pa.ipc.read_record_batch(pa.py_buffer(data), schema)
        except (pa.ArrowException, ValueError, EOFError, OSError):  # stored under a schema that is not this one
            return None
        return batch if batch is not None and batch.num_rows == rows else None

    # --- row groups (the GroupStore of write.py; main process) ---

    def get_group(self, key: str) -> EncodedGroup | None:
        """A stored row group: the sizes of what follows, its ``EncodedGroup`` pickled without the
        footer and the bytes, the footer pickled (the same for every group of a config: each is loaded
        once), then the bytes (used where they were read, without a copy)."""
        try:
            with open(self.path("groups", key), "rb") as handle:
                data = pa.py_buffer(handle.read())
            head, footer, size = GROUP_SIZES.unpack_from(data)
            start = GROUP_SIZES.size + head + footer
            group = pickle.loads(data[GROUP_SIZES.size:GROUP_SIZES.size + head])
            if not isinstance(group, EncodedGroup) or data.size != start + size:
                return None
            pickled = data[GROUP_SIZES.size + head:start].to_pybytes()
            if pickled not in self.footers:
                self.footers[pickled] = pickle.loads(pickled)
        except (OSError, struct.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        self.used_groups.add(key)
        return replace(group, data=data.slice(start), footer=self.footers[pickled])

    def put_group(self, key: str, group: EncodedGroup) -> None:
        head = pickle.dumps(replace(group, data=b"", footer=None), protocol=pickle.HIGHEST_PROTOCOL)
        footer = pickle.dumps(group.footer, protocol=pickle.HIGHEST_PROTOCOL)
        self.write(self.path("groups", key), GROUP_SIZES.pack(len(head), len(footer), len(group.data)), head, footer,
                   group.data)
        self.used_groups.add(key)
