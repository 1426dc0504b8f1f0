"""The inputs, listed and read: the files of each article, found by name, and their bytes, read once.

``index_inputs`` lists the label schema, the annotators and the files of each article without reading
the articles (an ``InputIndex``, giving one ``ArticleFiles`` per article); ``read_files`` reads the
files of one article once (an ``ArticleBytes``: the metadata parsed, the raw text hashed), for the
checks (``article.checks.check_article``), the cache key and the manifest.

Files are grouped per article by name, as the layout documents (``corpus/<id>.meta.json``,
``annotations/<annotator>/<id>.json``). The loaders group by the ids inside the files; when a file
says another id than its name, ``index_inputs(..., by_content=True)`` groups by content instead
(reading every file once more), so the result never depends on the shortcut.

An annotation file's bytes are decoded by msgspec (``annotation_format.decode_annotation``); a file it
refuses is read again by the loader (``annotations.load_annotation_file``: ``json.loads``, the same
structs, the JSON Schema for the words), which may accept it (1.0 for 1) or words why not.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.sources.annotation_format import decode_annotation
from builder.sources.annotations import RESERVED, in_its_folder, load_annotation_file, load_annotators, load_schema
from builder.sources.corpus import META_SUFFIX, is_safe_id, load_article
from builder.sources.strict_json import SURROGATE_ESCAPE
from builder.sources.safe_files import read_input
from builder.sources.strict_json import may_repeat_keys
from builder.errors import InputError, Problem, problem
from builder.records import AnnotationSet, Annotator, RawArticle, Schema


# --- the files of each article ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArticleFiles:
    """One article's files: its metadata file and its annotation files, sorted by annotator.

    Paths are strings (a build makes one of these per article; ``Path`` objects cost more than the
    reading): ``annotations`` holds ``<annotator>/<file>`` names under the folder ``root``.
    """

    name: str  # the metadata file's name without ``.meta.json``: the article id in the documented layout
    meta: str
    root: str
    annotations: tuple[str, ...]

    def annotation_paths(self) -> list[Path]:
        return [Path(self.root, name) for name in self.annotations]


@dataclass(frozen=True, slots=True)
class InputIndex:
    """The inputs, listed: label schema, annotators, and the files of each article, sorted by name.

    Iterating gives one ``ArticleFiles`` per article, made on the fly: the index itself keeps only
    names (an article name and, per annotator folder, the names that have a file), so that it stays
    small for a large corpus.
    """

    corpus_dir: Path
    annotations_dir: Path
    schema: Schema | None  # None when schema.yaml or annotators.yaml cannot be read (see problems)
    annotators: Mapping[str, Annotator]
    names: tuple[str, ...]  # article names: metadata file names without META_SUFFIX
    folders: tuple[tuple[str, frozenset[str]], ...]  # annotator folder -> article names with a file there
    unmatched: tuple[AnnotationSet, ...]  # sets of files that name no article (each an E102 or worse)
    problems: tuple[tuple[tuple, Problem], ...]  # found while listing, with their file-order keys
    by_content: bool = False  # grouped by the ids inside the files (see the module doc)
    explicit: tuple[ArticleFiles, ...] = ()  # the files of each article when grouped by content

    def __len__(self) -> int:
        return len(self.explicit) if self.by_content else len(self.names)

    def __iter__(self) -> Iterator[ArticleFiles]:
        if self.by_content:
            yield from self.explicit
            return
        corpus, root = os.fspath(self.corpus_dir), os.fspath(self.annotations_dir)
        for name in self.names:
            yield ArticleFiles(name, os.path.join(corpus, name + META_SUFFIX), root,
                               tuple(f"{folder}/{name}.json" for folder, names in self.folders if name in names))


def problem_order(phase: int, path: Path | str) -> tuple:
    """The position of a file's problems in ``validate_inputs``: corpus, then annotation files, then sets."""
    path = Path(path)
    return (phase, path.parent.name, path.name) if phase else (phase, "", path.name)


def annotation_listing(annotations_dir: Path) -> tuple[dict[str, list[str]], list[Path]]:
    """Annotator folder -> the article names of its ``<name>.json`` files (sorted), folders sorted; and
    the JSON files in folders inside an annotator's folder, which are not read and are reported (E117)
    rather than dropped unseen."""
    root = Path(annotations_dir)
    if not root.is_dir():
        return {}, []
    folders = sorted(entry.name for entry in os.scandir(root) if entry.is_dir() and entry.name not in RESERVED)
    names, nested = {}, []
    for folder in folders:
        found = []
        for entry in os.scandir(root / folder):
            if entry.name.endswith(".json") and not entry.is_dir():  # a FIFO or a link is read, and refused
                found.append(entry.name[:-len(".json")])
            elif entry.is_dir():
                nested += [path for path in Path(entry.path).rglob("*.json") if path.is_file()]
        names[folder] = sorted(found)
    return names, sorted(nested)


def nested_problems(annotations_dir: Path, nested: list[Path]) -> list[tuple[tuple, Problem]]:
    return [(problem_order(1, path), problem("E117", path, folder=path.relative_to(annotations_dir).parts[0]))
            for path in nested]


def index_inputs(corpus_dir: Path, annotations_dir: Path, *, by_content: bool = False) -> InputIndex:
    """List every input file and group the files per article, without reading the articles."""
    corpus_dir, annotations_dir = Path(corpus_dir), Path(annotations_dir)
    found: list[tuple[tuple, Problem]] = []
    try:
        schema = load_schema(annotations_dir / "schema.yaml")
        annotators = load_annotators(annotations_dir / "annotators.yaml")
    except InputError as exc:
        schema, annotators = None, {}
        found += [((1, "", ""), p) for p in exc.problems]
    entries = [entry.name for entry in os.scandir(corpus_dir)] if corpus_dir.is_dir() else []
    names = sorted(name[:-len(META_SUFFIX)] for name in entries if name.endswith(META_SUFFIX))
    found += orphan_problems(corpus_dir, entries, names)
    if not names:
        found.append(((0, "", ""), problem("E304", corpus_dir, path=corpus_dir)))
    if by_content or len({n.casefold() for n in names}) < len(names):
        return index_by_content(corpus_dir, annotations_dir, schema, annotators, found)
    known = {name: name for name in names}  # one string object per name, shared by the folder sets
    folders, stray = [], []
    listing, nested = annotation_listing(annotations_dir) if schema is not None else ({}, [])
    found += nested_problems(annotations_dir, nested)
    for folder, files in listing.items():
        folders.append((folder, frozenset(known[n] for n in files if n in known)))
        stray += [annotations_dir / folder / f"{n}.json" for n in files if n not in known]
    unmatched = []
    folded = {n.casefold() for n in names} if stray else set()
    for path in stray:
        aset, problems = read_annotation(path, annotation_bytes(path, annotations_dir))
        found += [(problem_order(1, path), p) for p in problems]
        if aset is not None:
            if aset.article_id.casefold() in folded:  # a file named after one article that says another
                return index_by_content(corpus_dir, annotations_dir, schema, annotators, found)
            unmatched.append(aset)
            found.append((problem_order(2, path), problem("E102", str(aset.path), id=aset.article_id)))
    return InputIndex(corpus_dir, annotations_dir, schema, annotators, tuple(names), tuple(folders),
                      tuple(unmatched), tuple(found))


def orphan_problems(corpus_dir: Path, entries: list[str], names: list[str]) -> list[tuple[tuple, Problem]]:
    """E809 for each raw file ``<id>.txt`` of the corpus without an ``<id>.meta.json`` beside it."""
    known = set(names)
    return [(problem_order(0, corpus_dir / name), problem("E809", corpus_dir / name, name=name))
            for name in sorted(entries) if name.endswith(".txt") and name[:-len(".txt")] not in known]


def index_by_content(corpus_dir: Path, annotations_dir: Path, schema: Schema | None,
                     annotators: Mapping[str, Annotator], found: list) -> InputIndex:
    """Group by the ids inside the files, as ``scan_corpus`` and ``scan_annotations`` do (slow: every
    article is loaded once here and once more when it is checked)."""
    found = [item for item in found if item[0] == (1, "", "")]  # keep the label schema's problems
    meta_paths = sorted(corpus_dir.glob(f"*{META_SUFFIX}")) if corpus_dir.is_dir() else []
    if not meta_paths:
        found.append(((0, "", ""), problem("E304", corpus_dir, path=corpus_dir)))
    loaded: dict[str, tuple[RawArticle, Path]] = {}  # casefolded id -> first article with it, and its metadata
    for meta_path in meta_paths:
        article, problems = load_article(meta_path)
        found += [(problem_order(0, meta_path), p) for p in problems]
        if article is None:
            continue
        key = article.id.casefold()
        if key in loaded:
            found.append((problem_order(0, meta_path),
                          problem("E004", meta_path, id=article.id, other=loaded[key][0].path)))
            continue
        loaded[key] = (article, meta_path)
    ids = {article.id for article, _ in loaded.values()}
    grouped: dict[str, list[Path]] = defaultdict(list)
    unmatched = []
    if schema is not None:
        listing, nested = annotation_listing(annotations_dir)
        found += nested_problems(annotations_dir, nested)
        for folder, names in listing.items():
            for path in (annotations_dir / folder / f"{name}.json" for name in names):
                aset, problems = read_annotation(path, annotation_bytes(path, annotations_dir))
                if aset is not None and aset.article_id in ids:
                    grouped[aset.article_id].append(path)
                    continue
                found += [(problem_order(1, path), p) for p in problems]
                if aset is not None:
                    unmatched.append(aset)
                    found.append((problem_order(2, path), problem("E102", str(aset.path), id=aset.article_id)))
    articles = tuple(ArticleFiles(article.id, os.fspath(meta_path), os.fspath(annotations_dir),
                                  tuple(f"{p.parent.name}/{p.name}" for p in sorted(
                                      grouped.get(article.id, ()), key=lambda p: (p.parent.name, p.name))))
                     for article, meta_path in sorted(loaded.values(), key=lambda item: item[0].id))
    return InputIndex(corpus_dir, annotations_dir, schema, annotators, tuple(a.name for a in articles), (),
                      tuple(unmatched), tuple(found), True, articles)


# --- one article's files, read once -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArticleBytes:
    """The bytes of one article's files, read once: for the checks, the cache key and the manifest;
    with the metadata parsed and the raw text hashed once, for all of them."""

    files: ArticleFiles
    meta: bytes
    document: object  # the metadata's JSON document (``meta_document``)
    raw: bytes | None  # None when the metadata names no readable raw file
    raw_name: str | None
    raw_sha256: str | None  # of ``raw``
    annotations: tuple[bytes, ...]


def read_bytes(path: str, root: str, limit: str) -> bytes:
    """The bytes of a file inside the folder ``root``, by the system calls alone (a build reads five files
    per article); b"" for one that cannot be read or is refused, which the loaders then read again and
    word (``corpus.load_article``, ``annotations.load_annotation_file``)."""
    try:
        return read_input(path, root, limit)
    except (OSError, ValueError, InputError):  # ValueError: a name the system cannot take (a NUL character)
        return b""


def annotation_bytes(path: Path, annotations_dir: Path) -> bytes:
    return read_bytes(os.fspath(path), os.fspath(annotations_dir), "annotation_file_bytes")


def read_files(files: ArticleFiles) -> ArticleBytes:
    corpus = os.path.dirname(files.meta)
    meta = read_bytes(files.meta, corpus, "metadata_bytes")
    document = meta_document(meta)
    name = None if document is NOT_JSON else raw_name(document)
    raw = None
    if name is not None:
        try:
            raw = read_input(os.path.join(corpus, name), corpus, "article_bytes")
        except (OSError, ValueError, InputError):  # as missing: ``corpus.load_article`` words why
            raw = None
    return ArticleBytes(files, meta, document, raw, name if raw is not None else None,
                        None if raw is None else hashlib.sha256(raw).hexdigest(),
                        tuple(read_bytes(os.path.join(files.root, name), files.root, "annotation_file_bytes")
                              for name in files.annotations))


NOT_JSON = object()  # what ``meta_document`` gives for bytes that are not UTF-8 JSON


def meta_document(meta_bytes: bytes) -> object:
    """The JSON document of a metadata file's bytes, or ``NOT_JSON`` (also for any text that may hold a
    lone surrogate, which ``strict_json.read_json`` refuses)."""
    try:
        text = meta_bytes.decode("utf-8")
        if SURROGATE_ESCAPE.search(text):
            return NOT_JSON
        document = json.loads(text)
        return NOT_JSON if may_repeat_keys(meta_bytes, document) else document
    except (UnicodeDecodeError, ValueError, RecursionError):
        return NOT_JSON


def raw_name(data: object) -> str | None:
    """``data["file"]`` if it is a plain file name whose stem is a safe id (as ``corpus.load_article``
    requires: ``Path(name).name == name`` and ``is_safe_id(Path(name).stem)``), else None."""
    name = data.get("file") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
        return None
    dot = name.rfind(".")
    return name if is_safe_id(name[:dot] if 0 < dot < len(name) - 1 else name) else None


def read_annotation(path: Path, data: bytes) -> tuple[AnnotationSet | None, list[Problem]]:
    """The annotation file ``path`` whose bytes are ``data`` -> its set, or its problems."""
    aset = decode_annotation(data, path)
    if aset is None or may_repeat_keys(data):  # json.loads may read otherwise than msgspec (1.0 for 1); the
        return load_annotation_file(path)  # loader words every refusal, and names a key given twice
    return in_its_folder(aset, path)
